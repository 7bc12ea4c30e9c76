package dev.ferry.coordinator.plan;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory registry holding only tags and their digests, for planner tests. It counts
 * manifest GETs and HEADs, can fail a repository, can list a tag its HEAD no longer finds,
 * and can answer after a delay to show how many calls run at once.
 */
final class FakeRegistry implements ImageStore {

    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private final Vertx vertx;
    /** repository to tag to digest, in insertion order. */
    private final Map<String, Map<String, Digest>> repositories = Collections.synchronizedMap(new LinkedHashMap<>());

    final Set<String> failingRepositories = ConcurrentHashMap.newKeySet();
    /** Repositories whose answers start but whose bodies stop arriving. */
    final Set<String> stallingRepositories = ConcurrentHashMap.newKeySet();
    /** repository:tag listed by listTags but gone by the HEAD. */
    final Set<String> vanished = ConcurrentHashMap.newKeySet();

    final List<String> heads = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger manifestGets = new AtomicInteger();
    final AtomicInteger tagLists = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile long delayMillis;
    /** Fails every call as a network error (no HTTP response). */
    volatile boolean down;

    FakeRegistry(Vertx vertx) {
        this.vertx = vertx;
    }

    static Digest digestOf(String content) {
        return Digest.sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    FakeRegistry tag(String repository, String tag, String content) {
        repositories
                .computeIfAbsent(repository, r -> Collections.synchronizedMap(new LinkedHashMap<>()))
                .put(tag, digestOf(content));
        return this;
    }

    FakeRegistry untag(String repository, String tag) {
        repositories.getOrDefault(repository, Map.of()).remove(tag);
        return this;
    }

    FakeRegistry tags(String repository, String content, String... tags) {
        for (String t : tags) {
            tag(repository, t, content + t);
        }
        return this;
    }

    List<String> repositoryNames() {
        synchronized (repositories) {
            return new ArrayList<>(repositories.keySet());
        }
    }

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        manifestGets.incrementAndGet();
        return Future.failedFuture(new AssertionError("the planner must not GET manifests"));
    }

    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        heads.add(repository + ":" + reference);
        return answer(repository, "HEAD manifest " + repository + ":" + reference, () -> {
            if (vanished.contains(repository + ":" + reference)) {
                return Optional.empty();
            }
            return Optional.ofNullable(
                            repositories.getOrDefault(repository, Map.of()).get(reference))
                    .map(d -> Descriptor.of(MANIFEST_TYPE, d, 500));
        });
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        tagLists.incrementAndGet();
        return answer(repository, "list tags of " + repository, () -> {
            Map<String, Digest> tags = repositories.get(repository);
            if (tags == null) {
                throw RegistryException.fromResponse(
                        "list tags of " + repository,
                        404,
                        "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}",
                        null);
            }
            synchronized (tags) {
                return new ArrayList<>(tags.keySet());
            }
        });
    }

    private <T> Future<T> answer(String repository, String what, Supplier<T> result) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        Promise<T> promise = Promise.promise();
        Runnable complete = () -> {
            inFlight.decrementAndGet();
            if (down) {
                promise.fail(RegistryException.network(what, new ConnectException("Connection refused")));
            } else if (failingRepositories.contains(repository)) {
                promise.fail(RegistryException.fromResponse(what, 500, "", null));
            } else if (stallingRepositories.contains(repository)) {
                promise.fail(RegistryException.stalledBody(what, "no bytes moved for 2s (idle timeout)", null));
            } else {
                try {
                    promise.complete(result.get());
                } catch (RuntimeException e) {
                    promise.fail(e);
                }
            }
        };
        if (delayMillis > 0) {
            vertx.setTimer(delayMillis, id -> complete.run());
        } else {
            complete.run();
        }
        return promise.future();
    }

    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        return Future.failedFuture(new AssertionError("the planner must not write"));
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        return Future.failedFuture(new AssertionError("the planner does not read blobs"));
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        return Future.failedFuture(new AssertionError("the planner does not read blobs"));
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        return Future.failedFuture(new AssertionError("the planner must not write"));
    }
}
