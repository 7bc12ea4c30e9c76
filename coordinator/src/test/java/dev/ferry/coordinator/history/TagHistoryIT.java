package dev.ferry.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tag history on real Hazelcast members: it survives a member kill and a restart from its file. */
@ExtendWith(VertxExtension.class)
class TagHistoryIT {

  private final List<HazelcastInstance> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(h -> h.getLifecycleService().terminate());
  }

  private HazelcastInstance member(String cluster, int port, List<String> members) {
    HazelcastInstance h = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(
        new ClusterSettings(cluster, "127.0.0.1", port, members, 1)));
    started.add(h);
    return h;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String digest(int n) {
    return "sha256:" + String.format("%064x", n);
  }

  private static TagWrite write(int tag, int version) {
    return new TagWrite("mirror", "apps/web", "t" + tag, "write", version == 0 ? null : digest(version - 1),
        digest(version), "job-" + tag, "run-" + version, "apps", "worker:w-1", 1_000L * version + tag);
  }

  @Test
  void writesSurviveAMemberKillThroughTheBackup(Vertx vertx, @TempDir Path dir) throws Exception {
    int p1 = FreePort.forListener();
    int p2 = FreePort.forListener();
    List<String> both = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    String cluster = "ferry-test-" + UUID.randomUUID();
    HazelcastInstance a = member(cluster, p1, both);
    HazelcastInstance b = member(cluster, p2, both);
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> a.getCluster().getMembers().size() == 2 && a.getPartitionService().isClusterSafe());
    TagHistory onA = new TagHistory(a, vertx, dir.resolve("a"), dev.ferry.coordinator.audit.AuditTrail.logging(), dev.ferry.coordinator.metrics.FerryMetrics.none());
    TagHistory onB = new TagHistory(b, vertx, null, dev.ferry.coordinator.audit.AuditTrail.logging(), dev.ferry.coordinator.metrics.FerryMetrics.none());
    Files.createDirectories(dir.resolve("a"));
    onA.load();
    for (int tag = 0; tag < 60; tag++) {
      await(onA.record(write(tag, 1)));
      await((tag % 2 == 0 ? onA : onB).record(write(tag, 2)));
    }

    a.getLifecycleService().terminate();

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> b.getCluster().getMembers().size() == 1);
    for (int tag = 0; tag < 60; tag++) {
      assertThat(await(onB.lastWritten("mirror", "apps/web", "t" + tag))).as("t%d", tag).isEqualTo(digest(2));
    }
    assertThat(await(onB.list("mirror", "apps/web", "t7", 10))).containsExactly(write(7, 2), write(7, 1));
    assertThat(await(onB.list("mirror", "apps/web", null, 1000))).hasSize(120);
    assertThat(await(onB.list("mirror", "apps/we", null, 1000))).as("a prefix of the repository name").isEmpty();
  }

  @Test
  void aRestartedMemberReadsItsFileBackAndSkipsALineCutShort(Vertx vertx, @TempDir Path dir) throws Exception {
    HazelcastInstance first = member("ferry-test-" + UUID.randomUUID(), 0, List.of());
    TagHistory history = new TagHistory(first, vertx, dir, dev.ferry.coordinator.audit.AuditTrail.logging(), dev.ferry.coordinator.metrics.FerryMetrics.none());
    history.load();
    await(history.record(write(1, 1)));
    await(history.record(write(1, 2)));
    await(history.record(new TagWrite("mirror", "apps/web", "t1-ferry-backup-9", "backup", null, digest(9), "job-1",
        "run-3", "apps", "worker:w-1", 3_001L)));
    await(history.close());
    first.getLifecycleService().terminate();
    // A crash in the middle of an append leaves half a line.
    Files.writeString(dir.resolve(TagHistory.FILE_NAME), "{\"registry\":\"mirror\",\"repo", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    HazelcastInstance second = member("ferry-test-" + UUID.randomUUID(), 0, List.of());
    TagHistory again = new TagHistory(second, vertx, dir, dev.ferry.coordinator.audit.AuditTrail.logging(), dev.ferry.coordinator.metrics.FerryMetrics.none());
    again.load();

    assertThat(await(again.lastWritten("mirror", "apps/web", "t1"))).isEqualTo(digest(2));
    assertThat(await(again.list("mirror", "apps/web", null, 10))).hasSize(3);
    await(again.record(write(1, 3)));
    assertThat(await(again.lastWritten("mirror", "apps/web", "t1"))).isEqualTo(digest(3));
    await(again.close());
    second.getLifecycleService().terminate();

    HazelcastInstance third = member("ferry-test-" + UUID.randomUUID(), 0, List.of());
    TagHistory thirdTime = new TagHistory(third, vertx, dir, dev.ferry.coordinator.audit.AuditTrail.logging(), dev.ferry.coordinator.metrics.FerryMetrics.none());
    thirdTime.load();
    assertThat(await(thirdTime.lastWritten("mirror", "apps/web", "t1"))).as("the write after the cut line")
        .isEqualTo(digest(3));
    await(thirdTime.close());
  }
}
