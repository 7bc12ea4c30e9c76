package dev.ferry.coordinator.audit;

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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on two real Hazelcast members: the chain goes on, with no gap, when its owner is killed. */
@ExtendWith(VertxExtension.class)
class HazelcastLedgerIT {

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

  private static AuditTrail.Event event(int i) {
    return new AuditTrail.Event("ops", "policy.sync", "policy/apps", Map.of("n", i));
  }

  @Test
  void theChainContinuesWithNoGapWhenTheOwnerIsKilled(Vertx vertx, @TempDir Path dir) throws Exception {
    int p1 = FreePort.forListener();
    int p2 = FreePort.forListener();
    List<String> both = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
    String cluster = "ferry-test-" + UUID.randomUUID();
    HazelcastInstance a = member(cluster, p1, both);
    HazelcastInstance b = member(cluster, p2, both);
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> a.getCluster().getMembers().size() == 2 && a.getPartitionService().isClusterSafe());
    LedgerKey key = LedgerKey.generate();
    HazelcastLedger onA = new HazelcastLedger(a, vertx, Clock.systemUTC(), key, dir.resolve("a"), 50);
    HazelcastLedger onB = new HazelcastLedger(b, vertx, Clock.systemUTC(), key, dir.resolve("b"), 50);
    vertx.executeBlocking(() -> {
      onA.load();
      onB.load();
      return null;
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    for (int i = 0; i < 300; i++) {
      await((i % 2 == 0 ? onA : onB).record(event(i)));
    }
    long lastSegment = Segment.indexOf(await(onA.read(1, Integer.MAX_VALUE)).size());
    HazelcastInstance owner = a.getPartitionService().getPartition(lastSegment).getOwner().localMember() ? a : b;
    HazelcastLedger survivor = owner == a ? onB : onA;
    HazelcastInstance other = owner == a ? b : a;
    Path ownerFile = dir.resolve(owner == a ? "a" : "b").resolve(LedgerFile.FILE_NAME);
    Path survivorFile = dir.resolve(owner == a ? "b" : "a").resolve(LedgerFile.FILE_NAME);

    owner.getLifecycleService().terminate();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> other.getCluster().getMembers().size() == 1);

    for (int i = 300; i < 400; i++) {
      await(survivor.record(event(i)));
    }
    await(survivor.checkpointHead());

    List<String> all = await(survivor.read(1, Integer.MAX_VALUE));
    LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(all);
    assertThat(report.problem()).isNull();
    assertThat(report.firstSeq()).isEqualTo(1);
    long events = all.stream().filter(l -> LedgerLine.parse(l).action().equals("policy.sync")).count();
    assertThat(events).isEqualTo(400);
    assertThat(report.checkpoints()).isGreaterThanOrEqualTo(8);
    assertThat(LedgerLine.parse(all.get(all.size() - 1)).action()).isEqualTo(Checkpoint.ACTION);

    // The killed owner's file holds a valid chain up to where it was; the survivor's, to the head.
    LedgerVerifier.Report killed = new LedgerVerifier(Set.of()).verify(Files.readAllLines(ownerFile,
        StandardCharsets.UTF_8));
    assertThat(killed.problem()).isNull();
    assertThat(killed.lastSeq()).isGreaterThanOrEqualTo(300);
    LedgerVerifier.Report kept = new LedgerVerifier(Set.of()).verify(Files.readAllLines(survivorFile,
        StandardCharsets.UTF_8));
    assertThat(kept.problem()).isNull();
    assertThat(kept.lastSeq()).isEqualTo(report.lastSeq());
    assertThat(kept.headHash()).isEqualTo(report.headHash());
  }

  @Test
  void aWholeClusterRestartContinuesTheChainFromTheFile(Vertx vertx, @TempDir Path dir) throws Exception {
    LedgerKey key = LedgerKey.generate();
    Path data = dir.resolve("m");
    HazelcastInstance first = member("ferry-test-" + UUID.randomUUID(), FreePort.forListener(), List.of());
    HazelcastLedger before = new HazelcastLedger(first, vertx, Clock.systemUTC(), key, data, 100);
    vertx.executeBlocking(() -> {
      before.load();
      return null;
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 300; i++) {
      await(before.record(event(i)));
    }
    await(before.close());
    first.getLifecycleService().terminate();

    HazelcastInstance second = member("ferry-test-" + UUID.randomUUID(), FreePort.forListener(), List.of());
    HazelcastLedger after = new HazelcastLedger(second, vertx, Clock.systemUTC(), key, data, 100);
    vertx.executeBlocking(() -> {
      after.load();
      return null;
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    LedgerLine next = await(after.append(event(300)));

    List<String> all = await(after.read(1, Integer.MAX_VALUE));
    LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(all);
    assertThat(report.problem()).isNull();
    assertThat(report.firstSeq()).isEqualTo(1);
    assertThat(report.lastSeq()).isEqualTo(next.seq());
    assertThat(all.stream().filter(l -> LedgerLine.parse(l).action().equals("policy.sync")).count()).isEqualTo(301);
    assertThat(report.checkpoints()).isEqualTo(4); // after seq 100, 200 and 300, and at close
    assertThat(new LedgerVerifier(Set.of()).verify(Files.readAllLines(data.resolve(LedgerFile.FILE_NAME),
        StandardCharsets.UTF_8)).lastSeq()).isEqualTo(next.seq());
  }
}
