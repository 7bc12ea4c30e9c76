package dev.ferry.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.plan.KnownTag;
import dev.ferry.coordinator.testing.HazelcastMembers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The planner's records of target tags on a real Hazelcast member: history writes, deletes and sightings. */
@ExtendWith(VertxExtension.class)
class TagRecordsIT {

    @RegisterExtension
    final HazelcastMembers members = new HazelcastMembers();

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static TagWrite write(String tag, String kind, String digest, long time) {
        return new TagWrite("mirror", "apps/web", tag, kind, null, digest, "job", "run", "apps", "worker:w", time);
    }

    @Test
    void theNewerOfFerrysLastWriteAndTheLastSightingIsTheRecord(Vertx vertx) throws Exception {
        HazelcastInstance h = members.alone();
        TagHistory history = new TagHistory(h, vertx, null, AuditTrail.logging(), FerryMetrics.none());
        TagRecords records = new TagRecords(h, vertx, history);
        await(history.record(write("written", TagWrite.WRITE, A, 1_000)));
        await(history.record(write("deleted", TagWrite.WRITE, A, 1_000)));
        await(history.record(write("deleted", TagWrite.DELETE, null, 2_000)));
        await(history.record(write("seen-later", TagWrite.WRITE, A, 1_000)));
        await(history.record(write("seen-before", TagWrite.WRITE, A, 3_000)));
        await(records.saw("mirror", "apps/web", Map.of("seen-later", B, "seen-before", B, "only-seen", B), 2_500));

        Map<String, KnownTag> known = await(records.of(
                "mirror",
                "apps/web",
                Set.of("written", "deleted", "seen-later", "seen-before", "only-seen", "unknown")));

        assertThat(known)
                .containsEntry("written", new KnownTag(A, 1_000))
                .containsEntry("deleted", new KnownTag(null, 2_000))
                .containsEntry("seen-later", new KnownTag(B, 2_500))
                .containsEntry("seen-before", new KnownTag(A, 3_000))
                .containsEntry("only-seen", new KnownTag(B, 2_500))
                .doesNotContainKey("unknown");
        assertThat(await(records.of("mirror", "other/repo", Set.of("written")))).isEmpty();

        await(records.sawOne("mirror", "apps/web", "written", null, 4_000));
        assertThat(await(records.of("mirror", "apps/web", Set.of("written"))))
                .as("a drift check that found the tag gone")
                .containsEntry("written", new KnownTag(null, 4_000));

        // Sightings expire after the longest recheck period, so the map does not keep every tag for ever.
        long ttl = h.<String, KnownTag>getMap(TagRecords.MAP_NAME)
                .getEntryView(TagHistory.key("mirror", "apps/web", "only-seen"))
                .getTtl();
        assertThat(ttl).isEqualTo(TargetSpec.MAX_RECHECK.toMillis());
    }
}
