package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import io.vertx.core.Future;

/**
 * Asked right before the tag write, the copy's commit point. A worker uses it to record
 * the intent with the coordinator, which refuses a stale lease: then the copy stops and
 * the tag is not written.
 */
@FunctionalInterface
public interface TagGuard {

  TagGuard ALLOW = (tag, digest) -> Future.succeededFuture();

  Future<Void> beforeTagWrite(String tag, Digest digest);
}
