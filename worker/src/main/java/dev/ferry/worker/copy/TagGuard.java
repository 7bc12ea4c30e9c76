package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import io.vertx.core.Future;

/**
 * Asked right before the tag write, the copy's commit point. A worker uses it to record
 * the intent with the coordinator, which refuses a stale lease or a conflicting write: then
 * the copy stops and the tag is not written. The coordinator may also ask for the current
 * digest to be kept under a backup tag first.
 */
@FunctionalInterface
public interface TagGuard {

    TagGuard ALLOW = (tag, digest, current) -> Future.succeededFuture(Permit.WRITE);

    /**
     * @param current what the target tag holds right now, or null when it does not exist
     * @return a permit to write, or a failed future when the write must not happen
     */
    Future<Permit> beforeTagWrite(String tag, Digest digest, Digest current);

    /** Leave to write the tag, after tagging the current digest {@code backupTag} when it is not null. */
    record Permit(String backupTag) {
        public static final Permit WRITE = new Permit(null);
    }
}
