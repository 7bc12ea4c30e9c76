package dev.ferry.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.testing.HazelcastMembers;
import dev.ferry.testing.FreePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The tag history on real Hazelcast members: it survives a member kill and a restart from its file. */
@ExtendWith(VertxExtension.class)
class TagHistoryIT {

    @RegisterExtension
    final HazelcastMembers members = new HazelcastMembers();

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    private static TagWrite write(int tag, int version) {
        return new TagWrite(
                "mirror",
                "apps/web",
                "t" + tag,
                "write",
                version == 0 ? null : digest(version - 1),
                digest(version),
                "job-" + tag,
                "run-" + version,
                "apps",
                "worker:w-1",
                1_000L * version + tag);
    }

    @Test
    void writesSurviveAMemberKillThroughTheBackup(Vertx vertx, @TempDir Path dir) throws Exception {
        int p1 = FreePort.forListener();
        int p2 = FreePort.forListener();
        List<String> both = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        String cluster = HazelcastMembers.newCluster();
        HazelcastInstance a = members.member(cluster, p1, both);
        HazelcastInstance b = members.member(cluster, p2, both);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> a.getCluster().getMembers().size() == 2
                        && a.getPartitionService().isClusterSafe());
        TagHistory onA = new TagHistory(a, vertx, dir.resolve("a"), AuditTrail.logging(), FerryMetrics.none());
        TagHistory onB = new TagHistory(b, vertx, null, AuditTrail.logging(), FerryMetrics.none());
        Files.createDirectories(dir.resolve("a"));
        onA.load();
        for (int tag = 0; tag < 60; tag++) {
            await(onA.record(write(tag, 1)));
            await((tag % 2 == 0 ? onA : onB).record(write(tag, 2)));
        }

        a.getLifecycleService().terminate();

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> b.getCluster().getMembers().size() == 1);
        for (int tag = 0; tag < 60; tag++) {
            assertThat(await(onB.lastWritten("mirror", "apps/web", "t" + tag)))
                    .as("t%d", tag)
                    .isEqualTo(digest(2));
        }
        assertThat(await(onB.list("mirror", "apps/web", "t7", 10))).containsExactly(write(7, 2), write(7, 1));
        assertThat(await(onB.list("mirror", "apps/web", null, 1000))).hasSize(120);
        assertThat(await(onB.list("mirror", "apps/we", null, 1000)))
                .as("a prefix of the repository name")
                .isEmpty();
    }

    @Test
    void aRestartedMemberReadsItsFileBackAndSkipsALineCutShort(Vertx vertx, @TempDir Path dir) throws Exception {
        HazelcastInstance first = members.member(HazelcastMembers.newCluster(), 0, List.of());
        TagHistory history = new TagHistory(first, vertx, dir, AuditTrail.logging(), FerryMetrics.none());
        history.load();
        await(history.record(write(1, 1)));
        await(history.record(write(1, 2)));
        await(history.record(new TagWrite(
                "mirror",
                "apps/web",
                "t1-ferry-backup-9",
                "backup",
                null,
                digest(9),
                "job-1",
                "run-3",
                "apps",
                "worker:w-1",
                3_001L)));
        await(history.close());
        first.getLifecycleService().terminate();
        // A crash in the middle of an append leaves half a line.
        Files.writeString(
                dir.resolve(TagHistory.FILE_NAME),
                "{\"registry\":\"mirror\",\"repo",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        HazelcastInstance second = members.member(HazelcastMembers.newCluster(), 0, List.of());
        TagHistory again = new TagHistory(second, vertx, dir, AuditTrail.logging(), FerryMetrics.none());
        again.load();

        assertThat(await(again.lastWritten("mirror", "apps/web", "t1"))).isEqualTo(digest(2));
        assertThat(await(again.list("mirror", "apps/web", null, 10))).hasSize(3);
        await(again.record(write(1, 3)));
        assertThat(await(again.lastWritten("mirror", "apps/web", "t1"))).isEqualTo(digest(3));
        await(again.close());
        second.getLifecycleService().terminate();

        HazelcastInstance third = members.member(HazelcastMembers.newCluster(), 0, List.of());
        TagHistory thirdTime = new TagHistory(third, vertx, dir, AuditTrail.logging(), FerryMetrics.none());
        thirdTime.load();
        assertThat(await(thirdTime.lastWritten("mirror", "apps/web", "t1")))
                .as("the write after the cut line")
                .isEqualTo(digest(3));
        await(thirdTime.close());
    }

    @Test
    void writesRecordedTogetherReachTheMapTheFileAndTheTrailEachJobInOrder(Vertx vertx, @TempDir Path dir)
            throws Exception {
        HazelcastInstance member = members.member(HazelcastMembers.newCluster(), 0, List.of());
        List<AuditTrail.Event> trail = Collections.synchronizedList(new ArrayList<>());
        AuditTrail audit = event -> {
            trail.add(event);
            return Future.succeededFuture();
        };
        TagHistory history = new TagHistory(member, vertx, dir, audit, FerryMetrics.none());
        history.load();
        TagWrite backup = new TagWrite(
                "mirror",
                "apps/web",
                "t3-ferry-backup-9",
                "backup",
                null,
                digest(9),
                "job-3",
                "run-1",
                "apps",
                "worker:w-1",
                1_003L);
        List<TagWrite> together = List.of(write(1, 1), write(2, 1), backup, write(3, 1), write(4, 1));

        await(history.recordAll(together));

        for (int tag = 1; tag <= 4; tag++) {
            assertThat(await(history.lastWritten("mirror", "apps/web", "t" + tag)))
                    .as("t%d", tag)
                    .isEqualTo(digest(1));
        }
        assertThat(Files.readAllLines(dir.resolve(TagHistory.FILE_NAME))).hasSize(5);
        assertThat(trail).hasSize(5);
        List<String> job3 = trail.stream()
                .filter(e -> "job-3".equals(e.details().get("job")))
                .map(AuditTrail.Event::action)
                .toList();
        assertThat(job3)
                .as("a job's backup tag is audited before its write")
                .containsExactly("tag.backup", "tag.write");
        await(history.close());
    }
}
