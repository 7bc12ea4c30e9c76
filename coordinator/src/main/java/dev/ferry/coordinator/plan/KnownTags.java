package dev.ferry.coordinator.plan;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * Ferry's records of target tags, which let a plan take a tag as up to date without a HEAD at
 * the target (see {@link TagTrust}). Read once per target repository and plan, written once per
 * target repository and plan: never one call per tag.
 */
public interface KnownTags {

    /** Records of {@code tags} in one target repository; a tag without a record is absent from the answer. */
    Future<Map<String, KnownTag>> of(String registry, String repository, Set<String> tags);

    /** A plan's HEADs saw each of these tags (tag to digest) hold its digest at {@code at}. */
    Future<Void> saw(String registry, String repository, Map<String, String> digests, long at);

    /** No records: every tag is asked for at the target. For previews, which show what the target holds. */
    static KnownTags none() {
        return new KnownTags() {
            @Override
            public Future<Map<String, KnownTag>> of(String registry, String repository, Set<String> tags) {
                return Future.succeededFuture(Map.of());
            }

            @Override
            public Future<Void> saw(String registry, String repository, Map<String, String> digests, long at) {
                return Future.succeededFuture();
            }
        };
    }
}
