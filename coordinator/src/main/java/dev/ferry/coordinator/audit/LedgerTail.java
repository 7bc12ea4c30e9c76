package dev.ferry.coordinator.audit;

import io.vertx.core.Future;
import java.util.List;

/**
 * The newest entries of a ledger read through an {@link AuditReader}, which reads forwards
 * only: the last seq is found by doubling, then halving, with one-entry reads (about
 * 2·log2(entries) of them), so a long ledger is never read from its start.
 */
public final class LedgerTail {

    private final AuditReader reader;

    public LedgerTail(AuditReader reader) {
        this.reader = reader;
    }

    /** At most {@code limit} entries, the newest last, each one line as stored. */
    public Future<List<String>> last(int limit) {
        return lastSeq()
                .compose(last -> last == 0
                        ? Future.succeededFuture(List.of())
                        : reader.read(Math.max(1, last - limit + 1), limit));
    }

    /** The seq of the newest entry; 0 for an empty ledger. */
    public Future<Long> lastSeq() {
        return exists(1).compose(any -> any ? grow(1) : Future.succeededFuture(0L));
    }

    /** {@code known} exists: doubles until a seq that does not, then narrows down between. */
    private Future<Long> grow(long known) {
        if (known > Long.MAX_VALUE / 4) {
            return Future.succeededFuture(known);
        }
        long next = known * 2;
        return exists(next).compose(there -> there ? grow(next) : narrow(known, next));
    }

    /** {@code low} exists, {@code high} does not. */
    private Future<Long> narrow(long low, long high) {
        if (high - low <= 1) {
            return Future.succeededFuture(low);
        }
        long mid = low + (high - low) / 2;
        return exists(mid).compose(there -> there ? narrow(mid, high) : narrow(low, mid));
    }

    private Future<Boolean> exists(long seq) {
        // Some entry at seq or later: true up to the last seq, false after it.
        return reader.read(seq, 1).map(lines -> !lines.isEmpty());
    }
}
