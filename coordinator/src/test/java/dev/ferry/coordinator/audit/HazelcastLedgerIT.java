package dev.ferry.coordinator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.testing.HazelcastMembers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on two real Hazelcast members: the chain goes on, with no gap, when its owner is killed. */
@ExtendWith(VertxExtension.class)
class HazelcastLedgerIT {

    @RegisterExtension
    final HazelcastMembers members = new HazelcastMembers();

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static AuditTrail.Event event(int i) {
        return new AuditTrail.Event("ops", "policy.sync", "policy/apps", Map.of("n", i));
    }

    @Test
    void theChainContinuesWithNoGapWhenTheOwnerIsKilled(Vertx vertx, @TempDir Path dir) throws Exception {
        List<String> both = HazelcastMembers.addresses(2);
        String cluster = HazelcastMembers.newCluster();
        List<HazelcastInstance> ab = members.joined(cluster, both, both);
        HazelcastInstance a = ab.get(0);
        HazelcastInstance b = ab.get(1);
        LedgerKey key = LedgerKey.generate();
        HazelcastLedger onA = new HazelcastLedger(
                a,
                vertx,
                Clock.systemUTC(),
                key,
                dir.resolve("a"),
                50,
                dev.ferry.coordinator.metrics.FerryMetrics.none());
        HazelcastLedger onB = new HazelcastLedger(
                b,
                vertx,
                Clock.systemUTC(),
                key,
                dir.resolve("b"),
                50,
                dev.ferry.coordinator.metrics.FerryMetrics.none());
        vertx.executeBlocking(() -> {
                    onA.load();
                    onB.load();
                    return null;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        for (int i = 0; i < 300; i++) {
            await((i % 2 == 0 ? onA : onB).record(event(i)));
        }
        long lastSegment = Segment.indexOf(await(onA.read(1, Integer.MAX_VALUE)).size());
        HazelcastInstance owner =
                a.getPartitionService().getPartition(lastSegment).getOwner().localMember() ? a : b;
        HazelcastLedger survivor = owner == a ? onB : onA;
        HazelcastInstance other = owner == a ? b : a;
        Path ownerFile = dir.resolve(owner == a ? "a" : "b").resolve(LedgerFile.FILE_NAME);
        Path survivorFile = dir.resolve(owner == a ? "b" : "a").resolve(LedgerFile.FILE_NAME);

        owner.getLifecycleService().terminate();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> other.getCluster().getMembers().size() == 1);

        for (int i = 300; i < 400; i++) {
            await(survivor.record(event(i)));
        }
        await(survivor.checkpointHead());

        List<String> all = await(survivor.read(1, Integer.MAX_VALUE));
        LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(all);
        assertThat(report.problem()).isNull();
        assertThat(report.firstSeq()).isEqualTo(1);
        long events = all.stream()
                .filter(l -> LedgerLine.parse(l).action().equals("policy.sync"))
                .count();
        assertThat(events).isEqualTo(400);
        assertThat(report.checkpoints()).isGreaterThanOrEqualTo(8);
        assertThat(LedgerLine.parse(all.get(all.size() - 1)).action()).isEqualTo(Checkpoint.ACTION);

        // The killed owner's file holds a valid chain up to where it was; the survivor's, to the head.
        LedgerVerifier.Report killed =
                new LedgerVerifier(Set.of()).verify(Files.readAllLines(ownerFile, StandardCharsets.UTF_8));
        assertThat(killed.problem()).isNull();
        assertThat(killed.lastSeq()).isGreaterThanOrEqualTo(300);
        LedgerVerifier.Report kept =
                new LedgerVerifier(Set.of()).verify(Files.readAllLines(survivorFile, StandardCharsets.UTF_8));
        assertThat(kept.problem()).isNull();
        assertThat(kept.lastSeq()).isEqualTo(report.lastSeq());
        assertThat(kept.headHash()).isEqualTo(report.headHash());
    }

    @Test
    void aWholeClusterRestartContinuesTheChainFromTheFile(Vertx vertx, @TempDir Path dir) throws Exception {
        LedgerKey key = LedgerKey.generate();
        Path data = dir.resolve("m");
        HazelcastInstance first = members.alone();
        HazelcastLedger before = new HazelcastLedger(
                first, vertx, Clock.systemUTC(), key, data, 100, dev.ferry.coordinator.metrics.FerryMetrics.none());
        vertx.executeBlocking(() -> {
                    before.load();
                    return null;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 300; i++) {
            await(before.record(event(i)));
        }
        await(before.close());
        first.getLifecycleService().terminate();

        HazelcastInstance second = members.alone();
        HazelcastLedger after = new HazelcastLedger(
                second, vertx, Clock.systemUTC(), key, data, 100, dev.ferry.coordinator.metrics.FerryMetrics.none());
        vertx.executeBlocking(() -> {
                    after.load();
                    return null;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        LedgerLine next = await(after.append(event(300)));

        List<String> all = await(after.read(1, Integer.MAX_VALUE));
        LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(all);
        assertThat(report.problem()).isNull();
        assertThat(report.firstSeq()).isEqualTo(1);
        assertThat(report.lastSeq()).isEqualTo(next.seq());
        assertThat(all.stream()
                        .filter(l -> LedgerLine.parse(l).action().equals("policy.sync"))
                        .count())
                .isEqualTo(301);
        assertThat(report.checkpoints()).isEqualTo(4); // after seq 100, 200 and 300, and at close
        assertThat(new LedgerVerifier(Set.of())
                        .verify(Files.readAllLines(data.resolve(LedgerFile.FILE_NAME), StandardCharsets.UTF_8))
                        .lastSeq())
                .isEqualTo(next.seq());
    }

    private static void load(Vertx vertx, HazelcastLedger ledger) throws Exception {
        vertx.executeBlocking(() -> {
                    ledger.load();
                    return null;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        await(ledger.recordBreaks());
    }

    /** Cuts 30 characters out of the middle of line {@code n} of {@code file}; returns the bytes now there. */
    private static byte[] damage(Path file, int n) throws Exception {
        List<String> lines = LedgerVerifier.lines(Files.readString(file));
        String l = lines.get(n - 1);
        lines.set(n - 1, l.substring(0, 40) + l.substring(70));
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return bytes;
    }

    @Test
    void aDamagedLineStaysAndTheChainGoesOnFromASignedSegmentThatRecordsIt(Vertx vertx, @TempDir Path dir)
            throws Exception {
        LedgerKey key = LedgerKey.generate();
        Path data = dir.resolve("m");
        Path file = data.resolve(LedgerFile.FILE_NAME);
        HazelcastInstance first = members.alone();
        HazelcastLedger before = new HazelcastLedger(
                first, vertx, Clock.systemUTC(), key, data, 100, dev.ferry.coordinator.metrics.FerryMetrics.none());
        load(vertx, before);
        for (int i = 0; i < 17; i++) {
            await(before.record(event(i)));
        }
        await(before.close());
        first.getLifecycleService().terminate();
        String damaged = new String(damage(file, 6), StandardCharsets.UTF_8);

        HazelcastInstance second = members.alone();
        HazelcastLedger after = new HazelcastLedger(
                second, vertx, Clock.systemUTC(), key, data, 100, dev.ferry.coordinator.metrics.FerryMetrics.none());
        load(vertx, after);
        assertThat(after.health().status()).isEqualTo("broken");
        assertThat(after.health().breaks()).isEqualTo(1);
        assertThat(after.health().message())
                .contains("audit-ledger.jsonl:6: entry seq 6 is bad: not JSON")
                .contains("recorded by entry seq 257");
        LedgerLine next = await(after.append(event(17)));
        assertThat(next.seq()).isEqualTo(259);

        // The file keeps every byte it had; the new segment follows: the record, its checkpoint, the event.
        String now = Files.readString(file);
        assertThat(now).startsWith(damaged);
        List<String> added = LedgerVerifier.lines(now.substring(damaged.length()));
        assertThat(added).hasSize(3);
        com.fasterxml.jackson.databind.JsonNode record =
                LedgerLine.parse(added.get(0)).fields();
        assertThat(record.path("action").asText()).isEqualTo(LedgerBreaks.ACTION);
        assertThat(record.path("seq").asLong()).isEqualTo(257);
        assertThat(record.path("details").path("line").asInt()).isEqualTo(6);
        assertThat(record.path("details").path("afterSeq").asLong()).isEqualTo(5);
        assertThat(record.path("details").path("newSegment").asBoolean()).isTrue();
        assertThat(LedgerLine.parse(added.get(1)).action()).isEqualTo(Checkpoint.ACTION);

        for (List<String> copy : List.of(LedgerVerifier.lines(now), await(after.read(1, Integer.MAX_VALUE)))) {
            LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(copy);
            assertThat(report.problem()).isNull();
            assertThat(report.breaks()).singleElement().satisfies(b -> {
                assertThat(b.at().line()).isEqualTo(6);
                assertThat(b.recordedBy()).isEqualTo(257);
            });
            assertThat(report.lastSeq()).isEqualTo(259);
        }
        await(after.close());
        second.getLifecycleService().terminate();

        // Another start finds the break recorded: it records nothing more, and still reports it.
        String closed = Files.readString(file);
        HazelcastInstance third = members.alone();
        HazelcastLedger again = new HazelcastLedger(
                third, vertx, Clock.systemUTC(), key, data, 100, dev.ferry.coordinator.metrics.FerryMetrics.none());
        load(vertx, again);
        assertThat(Files.readString(file)).isEqualTo(closed);
        assertThat(again.health().breaks()).isEqualTo(1);
        assertThat(await(again.append(event(18))).seq())
                .isEqualTo(LedgerLine.parse(LedgerVerifier.lines(closed)
                                        .get(LedgerVerifier.lines(closed).size() - 1))
                                .seq()
                        + 1);
        await(again.close());
    }

    @Test
    void aMemberRestartingWithADamagedFileLeavesTheClustersCopyAlone(Vertx vertx, @TempDir Path dir) throws Exception {
        List<String> both = HazelcastMembers.addresses(2);
        String cluster = HazelcastMembers.newCluster();
        List<HazelcastInstance> ab = members.joined(cluster, both, both);
        HazelcastInstance a = ab.get(0);
        HazelcastInstance b = ab.get(1);
        LedgerKey key = LedgerKey.generate();
        HazelcastLedger onA = new HazelcastLedger(
                a,
                vertx,
                Clock.systemUTC(),
                key,
                dir.resolve("a"),
                100,
                dev.ferry.coordinator.metrics.FerryMetrics.none());
        HazelcastLedger onB = new HazelcastLedger(
                b,
                vertx,
                Clock.systemUTC(),
                key,
                dir.resolve("b"),
                100,
                dev.ferry.coordinator.metrics.FerryMetrics.none());
        load(vertx, onA);
        load(vertx, onB);
        for (int i = 0; i < 20; i++) {
            await(onB.record(event(i)));
        }
        List<String> good = await(onB.read(1, Integer.MAX_VALUE));
        HazelcastInstance owner =
                a.getPartitionService().getPartition(0L).getOwner().localMember() ? a : b;
        HazelcastInstance other = owner == a ? b : a;
        HazelcastLedger onOther = owner == a ? onB : onA;
        Path ownerData = dir.resolve(owner == a ? "a" : "b");
        owner.getLifecycleService().terminate();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> other.getCluster().getMembers().size() == 1);
        byte[] damaged = damage(ownerData.resolve(LedgerFile.FILE_NAME), 6);

        HazelcastInstance back = members.joined(cluster, List.of(both.get(owner == a ? 0 : 1)), both)
                .get(0);
        HazelcastLedger restarted = new HazelcastLedger(
                back, vertx, Clock.systemUTC(), key, ownerData, 100, dev.ferry.coordinator.metrics.FerryMetrics.none());
        load(vertx, restarted);
        assertThat(restarted.health().breaks()).isEqualTo(1);

        List<String> now = await(onOther.read(1, Integer.MAX_VALUE));
        assertThat(now.subList(0, good.size())).isEqualTo(good);
        LedgerLine record = LedgerLine.parse(now.get(good.size()));
        assertThat(record.action()).isEqualTo(LedgerBreaks.ACTION);
        assertThat(record.fields().path("details").path("newSegment").asBoolean())
                .isFalse();
        assertThat(record.seq()).isEqualTo(good.size() + 1);
        LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(now);
        assertThat(report.ok()).isTrue();
        assertThat(LedgerLine.parse(now.get(now.size() - 1)).action()).isEqualTo(Checkpoint.ACTION);
        byte[] fileNow = Files.readAllBytes(ownerData.resolve(LedgerFile.FILE_NAME));
        assertThat(java.util.Arrays.copyOf(fileNow, damaged.length)).isEqualTo(damaged);
    }
}
