package dev.ferry.coordinator.preview;

import dev.ferry.coordinator.history.TagWrite;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Ferry knows of its own past writes, read by a plan preview: the three-way conflict rule
 * needs the digest Ferry last wrote (L), deletes and expiries need the tags a policy owns, pins
 * and pulls. A coordinator answers from its tag history; {@code ferry plan} from a data
 * directory's history file, or from nothing.
 */
public interface WriteRecords {

    /** For each tag a policy owns now, its latest write (see {@code TagHistory#ownedBy}). */
    Future<List<TagWrite>> ownedBy(String policy);

    /** What Ferry last wrote under the tag (a write, rollback or repair), or null. */
    Future<String> lastWritten(String registry, String repository, String tag);

    /** Keys ({@code TagHistory#key}) of the pinned tags. */
    Future<Set<String>> pinned();

    /** For some of {@code registries}, the last pull of each tag pulled there, by key, epoch millis. */
    Future<Map<String, Long>> lastPulls(Set<String> registries);

    /** Whether any write is known at all: without, conflicts are judged as on a first run. */
    boolean known();

    /** No history: every differing target tag counts as someone else's; no deletes or expiries. */
    static WriteRecords none() {
        return new WriteRecords() {
            @Override
            public Future<List<TagWrite>> ownedBy(String policy) {
                return Future.succeededFuture(List.of());
            }

            @Override
            public Future<String> lastWritten(String registry, String repository, String tag) {
                return Future.succeededFuture(null);
            }

            @Override
            public Future<Set<String>> pinned() {
                return Future.succeededFuture(Set.of());
            }

            @Override
            public Future<Map<String, Long>> lastPulls(Set<String> registries) {
                return Future.succeededFuture(Map.of());
            }

            @Override
            public boolean known() {
                return false;
            }
        };
    }
}
