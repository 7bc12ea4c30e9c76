package dev.ferry.worker.lease;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.worker.copy.TagGuard;
import dev.ferry.worker.copy.TagGuard.Permit;
import io.vertx.core.Future;

/**
 * Fences the tag write of a leased copy: it asks the coordinator to record the intent with
 * the lease's fencing token and lets the write go ahead only when the answer is
 * {@code allowed} and this worker still holds the job. Anything else (refused, lost, handed
 * back, coordinator unreachable) fails the copy before the tag is written.
 */
final class LeaseGuard implements TagGuard {

    /** What the guard asks of the job it fences. */
    interface Holder {
        /** False once the job is lost, handed back or abandoned. */
        boolean stillHeld();

        void lost();
    }

    private final LeaseChannel client;
    private final Lease lease;
    private final Holder holder;

    LeaseGuard(LeaseChannel client, Lease lease, Holder holder) {
        this.client = client;
        this.lease = lease;
        this.holder = holder;
    }

    @Override
    public Future<Permit> beforeTagWrite(String tag, Digest digest, Digest current) {
        if (!holder.stillHeld()) {
            return Future.failedFuture(notHeld(tag));
        }
        CommitIntent intent = new CommitIntent(
                lease.fencingToken(), tag, digest.toString(), current == null ? null : current.toString());
        return client.commitIntent(lease.leaseId(), intent)
                .onFailure(e -> {
                    if (e instanceof LeaseLostException) {
                        holder.lost();
                    }
                })
                .compose(decision -> {
                    if (!decision.allowed()) {
                        return Future.failedFuture(new CommitRefusedException(
                                decision.reason() != null
                                        ? "tag " + tag + " not written: " + decision.reason()
                                        : "the coordinator refused to let lease " + lease.leaseId() + " (fencing token "
                                                + lease.fencingToken() + ") write tag " + tag + " -> " + digest
                                                + (decision.previousDigest() != null
                                                        ? "; previous digest " + decision.previousDigest()
                                                        : "")));
                    }
                    return holder.stillHeld()
                            ? Future.succeededFuture(new Permit(decision.backupTag()))
                            : Future.<Permit>failedFuture(notHeld(tag));
                });
    }

    private IllegalStateException notHeld(String tag) {
        return new IllegalStateException(
                "lease " + lease.leaseId() + " is no longer held by this worker;" + " tag " + tag + " not written");
    }
}
