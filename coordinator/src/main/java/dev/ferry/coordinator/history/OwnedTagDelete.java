package dev.ferry.coordinator.history;

import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.coordinator.plan.RegistryAccess;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Base64;

/**
 * Deletes a target tag only while it still holds Ferry's write, and records the delete with the
 * manifest's bytes so a rollback can put the tag back while its blobs remain. The registry API
 * deletes manifests, not tags, and a manifest delete takes every tag pointing at it: a tag whose
 * manifest another tag of the repository shares is left, with the reason.
 */
final class OwnedTagDelete {

    private final TagHistory history;
    private final RegistryAccess registries;
    private final Clock clock;

    OwnedTagDelete(TagHistory history, RegistryAccess registries, Clock clock) {
        this.history = history;
        this.registries = registries;
        this.clock = clock;
    }

    /**
     * Null when deleted; otherwise why the tag was left.
     *
     * @param actor recorded in the history: {@code coordinator} for propagated deletes, {@code ttl} for expiry
     */
    Future<String> deleteIfStillOurs(TagWrite w, String runId, String policy, String actor) {
        return registries
                .store(w.registry())
                .compose(store -> store.headManifest(w.repository(), w.tag()).compose(found -> {
                    String now = found.map(d -> d.digest().toString()).orElse(null);
                    if (now == null) {
                        return Future.succeededFuture("already gone");
                    }
                    if (!now.equals(w.newDigest())) {
                        return Future.succeededFuture("it holds " + now + ", which Ferry did not write; not deleted");
                    }
                    return sharedWith(store, w)
                            .compose(other -> other != null
                                    ? Future.succeededFuture(
                                            "tag " + other + " points at the same manifest, and the registry can only"
                                                    + " delete the manifest (with both tags); not deleted")
                                    : store.getManifest(w.repository(), now)
                                            .compose(manifest -> store.deleteManifest(w.repository(), now)
                                                    .compose(v ->
                                                            history.record(deletion(w, manifest, runId, policy, actor)))
                                                    .map((String) null)));
                }));
    }

    /** Another tag of the repository that points at the same manifest, or null. */
    private static Future<String> sharedWith(ImageStore store, TagWrite w) {
        return store.listTags(w.repository()).compose(tags -> {
            Future<String> chain = Future.succeededFuture(null);
            for (String tag : tags) {
                if (tag.equals(w.tag())) {
                    continue;
                }
                chain = chain.compose(found -> found != null
                        ? Future.succeededFuture(found)
                        : store.headManifest(w.repository(), tag)
                                .map(d -> d.isPresent()
                                                && d.get().digest().toString().equals(w.newDigest())
                                        ? tag
                                        : null));
            }
            return chain;
        });
    }

    private TagWrite deletion(TagWrite w, Manifest manifest, String runId, String policy, String actor) {
        return new TagWrite(
                w.registry(),
                w.repository(),
                w.tag(),
                TagWrite.DELETE,
                w.newDigest(),
                null,
                null,
                runId,
                policy,
                actor,
                clock.millis(),
                manifest.mediaType(),
                Base64.getEncoder().encodeToString(manifest.raw()));
    }
}
