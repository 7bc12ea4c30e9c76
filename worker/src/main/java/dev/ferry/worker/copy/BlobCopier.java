package dev.ferry.worker.copy;

import dev.ferry.common.digest.VerifyingReadStream;
import dev.ferry.common.image.Streams;
import dev.ferry.common.manifest.Descriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts one blob on the target the cheapest way that works: it is already there (HEAD),
 * it can be mounted from the source repository (same registry) or from a repository of
 * the target known to hold it, or else it is streamed from the source, verified on the way.
 */
final class BlobCopier {

  enum Outcome { SKIPPED, MOUNTED, COPIED }

  private final ImageLocation source;
  private final ImageLocation target;
  private final KnownBlobs known;
  private final CopyProgress progress;
  private final Vertx vertx;
  private final Throttle throttle;
  final AtomicInteger copied = new AtomicInteger();
  final AtomicInteger mounted = new AtomicInteger();
  final AtomicInteger skipped = new AtomicInteger();
  final AtomicLong bytes = new AtomicLong();

  BlobCopier(Vertx vertx, ImageLocation source, ImageLocation target, KnownBlobs known, CopyProgress progress,
      Throttle throttle) {
    this.vertx = vertx;
    this.throttle = throttle;
    this.source = source;
    this.target = target;
    this.known = known;
    this.progress = progress;
  }

  Future<Outcome> copy(Descriptor blob) {
    return target.store().hasBlob(target.repository(), blob.digest())
        .compose(present -> present ? Future.succeededFuture(Outcome.SKIPPED) : mountOrStream(blob))
        .onSuccess(outcome -> {
          known.remember(target.registryId(), blob.digest(), target.repository());
          count(outcome, blob);
        });
  }

  private Future<Outcome> mountOrStream(Descriptor blob) {
    Optional<String> from = mountSource(blob);
    if (from.isEmpty()) {
      return stream(blob);
    }
    return target.store().mountBlob(target.repository(), blob.digest(), from.get())
        .compose(ok -> ok ? Future.succeededFuture(Outcome.MOUNTED) : stream(blob));
  }

  private Optional<String> mountSource(Descriptor blob) {
    if (source.registryId().equals(target.registryId())) {
      return source.repository().equals(target.repository()) ? Optional.empty()
          : Optional.of(source.repository());
    }
    return known.repositoryHolding(target.registryId(), blob.digest())
        .filter(repo -> !repo.equals(target.repository()));
  }

  private Future<Outcome> stream(Descriptor blob) {
    if (throttle.cancelled() != null) {
      return Future.failedFuture(throttle.cancelled());
    }
    return source.store().openBlob(source.repository(), blob).compose(raw -> {
      ThrottledReadStream paced = new ThrottledReadStream(vertx, raw, throttle);
      VerifyingReadStream verified = new VerifyingReadStream(paced, blob.digest(), blob.size())
          .progressHandler(progress::addBytes);
      return target.store().putBlob(target.repository(), blob, verified)
          .onFailure(e -> Streams.abandon(raw))
          .map(Outcome.COPIED);
    });
  }

  private void count(Outcome outcome, Descriptor blob) {
    switch (outcome) {
      case SKIPPED -> skipped.incrementAndGet();
      case MOUNTED -> mounted.incrementAndGet();
      case COPIED -> {
        copied.incrementAndGet();
        bytes.addAndGet(blob.size());
      }
    }
    if (outcome != Outcome.COPIED) {
      progress.addBytes(blob.size());
    }
    progress.blobDone();
  }
}
