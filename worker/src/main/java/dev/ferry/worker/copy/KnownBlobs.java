package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What this worker knows about blobs on its targets, shared by every copy it runs:
 * <ul>
 *   <li>which repository of a target registry holds a blob, so a copy into another repository
 *       of that registry mounts it instead of uploading it;</li>
 *   <li>which blobs a target repository was seen to hold lately (written, mounted or found by
 *       this worker), so they are not asked about again with a HEAD;</li>
 *   <li>which blobs are being placed right now, so copies in flight that need the same blob
 *       in the same repository wait for one upload instead of each making its own, and copies
 *       into another repository of the registry wait for it and then mount.</li>
 * </ul>
 * A placement that fails is forgotten at once: whoever waited for it places the blob itself.
 * Bounded: the first map forgets once full, the second drops its oldest entries and any older
 * than {@link #PRESENT_FOR}, the third holds only what is in flight.
 */
public final class KnownBlobs {

    /** How long a blob seen in a repository is trusted without a HEAD. */
    static final Duration PRESENT_FOR = Duration.ofMinutes(5);

    private final int capacity;
    private final Clock clock;
    private final Map<String, String> repoByRegistryAndDigest = new ConcurrentHashMap<>();
    /** registry|repository|digest -> when it was seen there; oldest first. Guarded by itself. */
    private final LinkedHashMap<String, Long> present = new LinkedHashMap<>();
    /** registry|repository|digest -> its placement in flight. */
    private final Map<String, Future<?>> placing = new ConcurrentHashMap<>();
    /** registry|digest -> the upload streaming it into some repository of the registry. */
    private final Map<String, Upload> uploading = new ConcurrentHashMap<>();

    /** An upload in flight: the repository it goes to, and its end. */
    record Upload(String repository, Future<Void> done) {}

    public KnownBlobs(int capacity) {
        this(capacity, Clock.systemUTC());
    }

    KnownBlobs(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    void remember(String registryId, Digest digest, String repository) {
        if (repoByRegistryAndDigest.size() >= capacity) {
            repoByRegistryAndDigest.clear();
        }
        repoByRegistryAndDigest.put(registryId + "|" + digest, repository);
        synchronized (present) {
            String key = registryId + "|" + repository + "|" + digest;
            present.remove(key);
            present.put(key, clock.millis());
            while (present.size() > capacity) {
                present.remove(present.keySet().iterator().next());
            }
        }
    }

    Optional<String> repositoryHolding(String registryId, Digest digest) {
        return Optional.ofNullable(repoByRegistryAndDigest.get(registryId + "|" + digest));
    }

    /** Whether this worker saw the repository hold the blob within {@link #PRESENT_FOR}. */
    boolean present(String registryId, String repository, Digest digest) {
        synchronized (present) {
            Long seen = present.get(registryId + "|" + repository + "|" + digest);
            return seen != null && clock.millis() - seen < PRESENT_FOR.toMillis();
        }
    }

    /**
     * Forgets what the repository was seen to hold: a copy into it failed, and one cause may be
     * a blob that is gone (deleted or garbage-collected) since it was seen.
     */
    void forget(String registryId, String repository) {
        String prefix = registryId + "|" + repository + "|";
        synchronized (present) {
            present.keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    /**
     * Places a blob in a repository once for all copies in flight: when another copy is placing
     * it there, waits for that one and answers empty if it succeeded; otherwise runs
     * {@code place}. If the awaited placement fails, this copy runs {@code place} itself.
     */
    <T> Future<Optional<T>> once(String registryId, String repository, Digest digest, Supplier<Future<T>> place) {
        String key = registryId + "|" + repository + "|" + digest;
        Promise<T> mine = Promise.promise();
        Future<?> other = placing.putIfAbsent(key, mine.future());
        if (other != null) {
            return here(other)
                    .transform(ar -> ar.succeeded()
                            ? Future.succeededFuture(Optional.<T>empty())
                            : place.get().map(Optional::of));
        }
        mine.future().onComplete(ar -> placing.remove(key, mine.future()));
        place.get().onComplete(mine);
        return mine.future().map(Optional::of);
    }

    /**
     * Claims the streaming of a blob into a registry for an upload that ends with {@code done}.
     * Empty when the claim is the caller's (it streams); otherwise the upload already streaming
     * the blob into another repository of the registry, which the caller waits for and mounts
     * from. Only uploads that stream are claimed, never copies that wait, so no two copies can
     * wait for each other.
     */
    Optional<Upload> claimUpload(String registryId, String repository, Digest digest, Future<Void> done) {
        String key = registryId + "|" + digest;
        Upload mine = new Upload(repository, done);
        Upload other = uploading.putIfAbsent(key, mine);
        if (other == null) {
            done.onComplete(ar -> uploading.remove(key, mine));
            return Optional.empty();
        }
        if (other.repository().equals(repository)) {
            return Optional.empty(); // not claimed: this copy streams as well
        }
        return Optional.of(new Upload(other.repository(), here(other.done())));
    }

    /** {@code f}'s outcome on the caller's context: a copy keeps all its handlers on one thread. */
    private static <T> Future<T> here(Future<T> f) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return f;
        }
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
        return p.future();
    }
}
