package dev.ferry.worker.copy;

import dev.ferry.common.digest.VerifyingReadStream;
import dev.ferry.common.image.SkippingReadStream;
import dev.ferry.common.image.SourceReadException;
import dev.ferry.common.image.Streams;
import dev.ferry.common.log.StartupTrace;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one blob on the target the cheapest way that works: it is already there (HEAD),
 * it can be mounted from the source repository (same registry) or from a repository of
 * the target known to hold it, or else it is streamed from the source, verified on the way.
 *
 * <p>A stream that fails with a temporary error is tried again within the copy, after a
 * backoff on a Vert.x timer (or the registry's Retry-After). The next attempt resumes the
 * target's upload session at the offset the target reports, re-reading the source from the
 * hash checkpoint before it, so every byte is still verified; when the session cannot be
 * resumed, it is deleted and the blob starts again from byte 0. When the copy gives up on a
 * blob, the session it leaves is deleted too.
 *
 * <p>The source's bytes are marked as the source's ({@link SourceReadException}): when the
 * source stalls or breaks mid-blob, the upload fails with the source's error, and nothing
 * blames the target for it.
 */
final class BlobCopier {

    enum Outcome {
        SKIPPED,
        MOUNTED,
        COPIED
    }

    private static final Logger LOG = LoggerFactory.getLogger(BlobCopier.class);
    /** A longer Retry-After is not waited out inside a copy: the job fails and is retried or held. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

    private final ImageLocation source;
    private final ImageLocation target;
    private final KnownBlobs known;
    private final CopyProgress progress;
    private final Vertx vertx;
    private final CopyOptions options;
    private final ResumableUploads uploads;
    private final long checkpointStep;
    private final Throttle throttle;
    final AtomicInteger copied = new AtomicInteger();
    final AtomicInteger mounted = new AtomicInteger();
    final AtomicInteger skipped = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();

    BlobCopier(
            ImageLocation source,
            ImageLocation target,
            KnownBlobs known,
            CopyProgress progress,
            Vertx vertx,
            CopyOptions options,
            ResumableUploads uploads,
            long checkpointStep,
            Throttle throttle) {
        this.throttle = throttle;
        this.source = source;
        this.target = target;
        this.known = known;
        this.progress = progress;
        this.vertx = vertx;
        this.options = options;
        this.uploads = uploads;
        this.checkpointStep = checkpointStep;
    }

    /**
     * A blob this worker saw in the repository lately is taken as there without a HEAD; one
     * that another copy in flight is placing there is waited for, not placed twice.
     */
    Future<Outcome> copy(Descriptor blob) {
        Future<Outcome> placed = known.present(target.registryId(), target.repository(), blob.digest())
                ? Future.succeededFuture(Outcome.SKIPPED)
                : known.once(target.registryId(), target.repository(), blob.digest(), () -> place(blob))
                        .map(mine -> mine.orElse(Outcome.SKIPPED));
        return placed.onSuccess(outcome -> {
            known.remember(target.registryId(), blob.digest(), target.repository());
            count(outcome, blob);
        });
    }

    private Future<Outcome> place(Descriptor blob) {
        return target.store()
                .hasBlob(target.repository(), blob.digest())
                .compose(present -> present ? Future.succeededFuture(Outcome.SKIPPED) : mountOrStream(blob));
    }

    private Future<Outcome> mountOrStream(Descriptor blob) {
        Optional<String> from = mountSource(blob);
        if (from.isEmpty()) {
            return streamOrMount(blob);
        }
        return mount(blob, from.get());
    }

    private Future<Outcome> mount(Descriptor blob, String from) {
        return target.store()
                .mountBlob(target.repository(), blob.digest(), from)
                .compose(ok -> ok ? Future.succeededFuture(Outcome.MOUNTED) : stream(blob));
    }

    /**
     * Streams the blob, unless another copy is streaming it into another repository of the
     * target registry: then waits for that upload and mounts from there (or streams after all,
     * when it failed).
     */
    private Future<Outcome> streamOrMount(Descriptor blob) {
        Promise<Void> done = Promise.promise();
        Optional<KnownBlobs.Upload> other =
                known.claimUpload(target.registryId(), target.repository(), blob.digest(), done.future());
        if (other.isEmpty()) {
            return stream(blob).andThen(ar -> done.handle(ar.map((Void) null)));
        }
        return other.get()
                .done()
                .transform(ar -> ar.succeeded() ? mount(blob, other.get().repository()) : stream(blob));
    }

    private Optional<String> mountSource(Descriptor blob) {
        if (source.registryId().equals(target.registryId())) {
            return source.repository().equals(target.repository())
                    ? Optional.empty()
                    : Optional.of(source.repository());
        }
        return known.repositoryHolding(target.registryId(), blob.digest())
                .filter(repo -> !repo.equals(target.repository()));
    }

    private Future<Outcome> stream(Descriptor blob) {
        return attempt(blob, 1).map(Outcome.COPIED);
    }

    private Future<Void> attempt(Descriptor blob, int attempt) {
        return transfer(blob).recover(e -> {
            Optional<Duration> wait = retryDelay(e, attempt, options);
            if (wait.isEmpty()) {
                if (attempt > 1) {
                    LOG.warn(
                            "blob {} from {} to {}: giving up after {} attempts: {}",
                            blob.digest(),
                            source,
                            target,
                            attempt,
                            e.getMessage());
                }
                return abandonSession(blob).transform(x -> Future.<Void>failedFuture(e));
            }
            LOG.warn(
                    "blob {} from {} to {}: attempt {} of {} failed, next in {} ms: {}",
                    blob.digest(),
                    source,
                    target,
                    attempt,
                    options.blobAttempts(),
                    wait.get().toMillis(),
                    e.getMessage());
            Promise<Void> next = Promise.promise();
            vertx.setTimer(
                    Math.max(1, wait.get().toMillis()),
                    id -> attempt(blob, attempt + 1).onComplete(next));
            return next.future();
        });
    }

    /**
     * How long to wait before attempt {@code attempt + 1}; empty when there is none: attempts
     * used up, an error that will not go away (digest mismatch, 4xx), or a Retry-After longer
     * than {@link #MAX_RETRY_AFTER}.
     */
    static Optional<Duration> retryDelay(Throwable e, int attempt, CopyOptions options) {
        if (attempt >= options.blobAttempts() || !(e instanceof RegistryException re) || !re.isTemporary()) {
            return Optional.empty();
        }
        Duration asked = re.retryAfter().orElse(Duration.ZERO);
        if (asked.compareTo(MAX_RETRY_AFTER) > 0) {
            return Optional.empty();
        }
        Duration backoff = options.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 16));
        return Optional.of(asked.compareTo(backoff) > 0 ? asked : backoff);
    }

    private Future<Void> transfer(Descriptor blob) {
        if (throttle.cancelled() != null) {
            return Future.failedFuture(throttle.cancelled());
        }
        ResumableUploads.Key key = new ResumableUploads.Key(target.registryId(), target.repository(), blob.digest());
        return startPoint(key, blob).compose(start -> {
            start.upload().onAcknowledged(start.hashes()::forgetBefore);
            return source.store()
                    .openBlob(source.repository(), blob, start.readFrom())
                    .compose(raw -> {
                        StartupTrace.mark("first blob read");
                        // A failure of the source's bytes is the source's, even though the upload fails with it.
                        ReadStream<Buffer> attributed =
                                new SkippingReadStream(raw, 0, e -> SourceReadException.of(source.registryId(), e));
                        // Paced by the lease's bandwidth share; bytes re-read only to rebuild the hash count too.
                        ThrottledReadStream paced = new ThrottledReadStream(vertx, attributed, throttle);
                        VerifyingReadStream verified = new VerifyingReadStream(
                                        paced, blob.digest(), blob.size(), start.hashes(), start.sendFrom())
                                .progressHandler(progress::addBytes);
                        return target.store()
                                .putBlob(target.repository(), blob, verified, start.upload())
                                .onFailure(e -> Streams.abandon(raw));
                    })
                    .onFailure(e -> {
                        if (start.upload().isOpen()) {
                            uploads.keep(key, new ResumableUploads.Saved(start.upload(), start.hashes()));
                        }
                    });
        });
    }

    /**
     * Deletes the upload session a failed attempt left open for resuming, now that no attempt
     * will use it, so it does not linger in the target's storage. Best effort and bounded by
     * the store; it never fails.
     */
    private Future<Void> abandonSession(Descriptor blob) {
        ResumableUploads.Saved saved =
                uploads.take(new ResumableUploads.Key(target.registryId(), target.repository(), blob.digest()));
        if (saved == null) {
            return Future.succeededFuture();
        }
        return target.store().cancelUpload(target.repository(), saved.upload()).otherwiseEmpty();
    }

    /** Continues the session an earlier attempt left, if the target still has it; else a fresh start. */
    private Future<ResumePoint> startPoint(ResumableUploads.Key key, Descriptor blob) {
        ResumableUploads.Saved saved = uploads.take(key);
        if (saved == null) {
            return Future.succeededFuture(ResumePoint.fresh(blob, checkpointStep));
        }
        return target.store()
                .uploadedBytes(target.repository(), saved.upload())
                .map(offset -> ResumePoint.at(saved, offset, blob, checkpointStep))
                .otherwise(e -> {
                    LOG.info(
                            "blob {} to {}: the upload session cannot be resumed ({}), starting again",
                            blob.digest(),
                            target,
                            e.getMessage());
                    return Optional.empty();
                })
                .compose(point -> {
                    if (point.isPresent()) {
                        LOG.info(
                                "blob {} to {}: resuming at byte {} of {} (re-reading from {})",
                                blob.digest(),
                                target,
                                point.get().sendFrom(),
                                blob.size(),
                                point.get().readFrom());
                        return Future.succeededFuture(point.get());
                    }
                    return target.store()
                            .cancelUpload(target.repository(), saved.upload())
                            .otherwiseEmpty()
                            .map(v -> ResumePoint.fresh(blob, checkpointStep));
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
