package dev.ferry.coordinator.audit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.query.Predicate;
import dev.ferry.coordinator.hz.Quorum;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the {@link Segment#orphans() orphans} a split-brain merge left in the ledger's map back
 * into the chain, each as a {@link LedgerForks#ACTION} record appended like any entry (linked,
 * on disk, backed up, under the majority rule), then takes it off the segment. Only the oldest
 * member does it, so two members never record the same orphan; it looks when a merge has changed
 * a segment (a map merge event), at start, and every few minutes in case an event was missed. An
 * orphan is removed only once its record is appended, so a failure leaves it for the next try.
 */
final class ForkRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastLedger.class);
    static final long TICK_MILLIS = 2_000;
    /** Ticks between looks without a merge event. */
    private static final int LOOK_EVERY = 150;

    private final HazelcastInstance hazelcast;
    private final IMap<Long, Segment> map;
    private final Vertx vertx;
    private final Function<AuditTrail.Event, Future<LedgerLine>> append;
    private final AtomicBoolean merged = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger recorded = new AtomicInteger();
    private long ticks;
    private long timer = -1;
    private UUID listener;

    ForkRecorder(
            HazelcastInstance hazelcast,
            IMap<Long, Segment> map,
            Vertx vertx,
            Function<AuditTrail.Event, Future<LedgerLine>> append) {
        this.hazelcast = hazelcast;
        this.map = map;
        this.vertx = vertx;
        this.append = append;
    }

    /** Forks this member has put back into the chain since it started. */
    int recorded() {
        return recorded.get();
    }

    synchronized void start() {
        if (timer >= 0) {
            return;
        }
        listener = map.addEntryListener((EntryMergedListener<Long, Segment>) e -> merged.set(true), false);
        timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }

    synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (listener != null) {
            try {
                map.removeEntryListener(listener);
            } catch (RuntimeException e) {
                LOG.debug("audit ledger: merge listener not removed: {}", e.toString());
            }
            listener = null;
        }
    }

    private void tick() {
        boolean wasMerged = merged.getAndSet(false);
        ticks++;
        if ((wasMerged || ticks % LOOK_EVERY == 0) && oldest()) {
            recordOrphans().onFailure(e -> merged.set(true));
        }
    }

    private boolean oldest() {
        var members = hazelcast.getCluster().getMembers();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    /** Records every orphan in the map; the future fails when one could not be recorded. */
    Future<Void> recordOrphans() {
        if (!running.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> new TreeSet<>(map.keySet(new HasOrphans())), false)
                .compose(keys -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Long key : keys) {
                        chain = chain.compose(v -> recordSegment(key));
                    }
                    return chain;
                })
                .onFailure(e -> {
                    if (Quorum.lost(e)) {
                        LOG.debug("audit ledger: forks not recorded yet: {}", e.toString());
                    } else {
                        LOG.warn("audit ledger: could not record a fork yet; trying again: {}", e.toString());
                    }
                })
                .onComplete(ar -> running.set(false));
    }

    private Future<Void> recordSegment(long key) {
        return vertx.executeBlocking(() -> map.get(key), false).compose(segment -> {
            if (segment == null || segment.orphans().isEmpty()) {
                return Future.succeededFuture();
            }
            List<String> orphans = segment.orphans();
            Future<Void> chain = Future.succeededFuture();
            for (String orphan : orphans) {
                chain = chain.compose(v -> append.apply(LedgerForks.event(orphan, key))
                        .map(line -> {
                            recorded.incrementAndGet();
                            LOG.warn(
                                    "audit ledger: entry seq {} of segment {} was acknowledged on one side of a"
                                            + " split and lost the merge; recorded again as entry seq {} ({})",
                                    LedgerVerifier.seqOf(orphan),
                                    key,
                                    line.seq(),
                                    LedgerForks.ACTION);
                            return null;
                        }));
            }
            return chain.compose(v -> vertx.executeBlocking(
                            () -> map.executeOnKey(key, new DropOrphans(new ArrayList<>(orphans))), false))
                    .mapEmpty();
        });
    }

    /** Segments with orphans. */
    record HasOrphans() implements Predicate<Long, Segment> {
        @Override
        public boolean apply(Map.Entry<Long, Segment> entry) {
            return entry.getValue() != null && !entry.getValue().orphans().isEmpty();
        }
    }

    /** Takes the recorded {@code orphans} off the segment; its backup does the same. */
    record DropOrphans(List<String> orphans) implements EntryProcessor<Long, Segment, Boolean> {
        @Override
        public Boolean process(Map.Entry<Long, Segment> entry) {
            Segment segment = entry.getValue();
            if (segment == null || segment.orphans().isEmpty()) {
                return false;
            }
            List<String> left = new ArrayList<>(segment.orphans());
            left.removeAll(orphans);
            entry.setValue(new Segment(segment.firstSeq(), segment.lines(), segment.lastHash(), left));
            return true;
        }
    }
}
