package dev.ferry.coordinator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.hz.Quorum;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.testing.HazelcastMembers;
import dev.ferry.coordinator.testing.LoopbackPartition;
import dev.ferry.testing.FreePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on three real Hazelcast members in this JVM, each on its own loopback address, with
 * the network between them cut by iptables: the member that owns the chain's segment is cut off
 * alone and appends once before it notices (Hazelcast acknowledges that append after its backup
 * times out), the majority side appends after it noticed, then the cut heals and the two sides
 * merge. Both sides hold segment 0 with different entries after the same prefix; every append
 * that was acknowledged must be in the merged chain, and the fork must be on record.
 */
@ExtendWith(VertxExtension.class)
class LedgerSplitIT {

    /** Not PartitionIT's 127.0.0.2–4: the ITs run in two JVMs at once, and a cut is made by address. */
    private static final List<String> HOSTS = List.of("127.0.0.5", "127.0.0.6", "127.0.0.7");

    @RegisterExtension
    final HazelcastMembers members = new HazelcastMembers();

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static AuditTrail.Event event(String subject) {
        return new AuditTrail.Event("ops", "policy.pause", subject, Map.of("at", subject));
    }

    @Test
    void entriesAcknowledgedOnBothSidesOfASplitAreAllInTheMergedChain(Vertx vertx, @TempDir Path dir) throws Exception {
        assumeTrue(LoopbackPartition.available(), "iptables cannot make a chain here (needs root / CAP_NET_ADMIN)");
        try (LoopbackPartition net = new LoopbackPartition(HOSTS)) {
            run(vertx, dir, net);
        }
    }

    private void run(Vertx vertx, Path dir, LoopbackPartition net) throws Exception {
        List<Integer> ports = HOSTS.stream().map(h -> FreePort.forListener()).toList();
        List<String> all = IntStream.range(0, 3)
                .mapToObj(i -> HOSTS.get(i) + ":" + ports.get(i))
                .toList();
        String cluster = HazelcastMembers.newCluster();
        // Fast heartbeats and merges so that a split is noticed and healed within seconds; member
        // sockets bind their own address so that the cut can tell members apart.
        Map<String, String> fast = Map.of(
                "hazelcast.socket.bind.any", "false",
                "hazelcast.socket.client.bind.any", "false",
                "hazelcast.heartbeat.interval.seconds", "1",
                "hazelcast.max.no.heartbeat.seconds", "5",
                "hazelcast.merge.first.run.delay.seconds", "5",
                "hazelcast.merge.next.run.delay.seconds", "5");
        List<HazelcastInstance> hs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hs.add(members.member(new ClusterSettings(cluster, HOSTS.get(i), ports.get(i), all, 3), fast));
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> hs.stream()
                        .allMatch(h -> h.getCluster().getMembers().size() == 3
                                && h.getPartitionService().isClusterSafe()));
        LedgerKey key = LedgerKey.generate();
        List<HazelcastLedger> ledgers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ledgers.add(new HazelcastLedger(
                    hs.get(i), vertx, Clock.systemUTC(), key, dir.resolve("m" + i), 0, FerryMetrics.none()));
        }
        await(vertx.executeBlocking(
                () -> {
                    for (HazelcastLedger l : ledgers) {
                        l.load();
                    }
                    return null;
                },
                false));

        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            await(ledgers.get(i).record(event("split/before-" + i)));
            acknowledged.add("split/before-" + i);
        }

        // Cut off, alone, the member that owns segment 0: it appends before it notices.
        int alone = IntStream.range(0, 3)
                .filter(i -> hs.get(i)
                        .getPartitionService()
                        .getPartition(0L)
                        .getOwner()
                        .localMember())
                .findFirst()
                .orElseThrow();
        List<Integer> rest =
                IntStream.range(0, 3).filter(i -> i != alone).boxed().toList();
        net.cut(List.of(rest.stream().map(HOSTS::get).toList(), List.of(HOSTS.get(alone))));
        await(ledgers.get(alone).record(event("split/minority")));
        acknowledged.add("split/minority");

        // The majority side notices, takes over segment 0 from its backup, and appends.
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> rest.stream()
                        .allMatch(i -> hs.get(i).getCluster().getMembers().size() == 2));
        for (int n = 0; n < 2; n++) {
            String subject = "split/majority-" + n;
            recordWithQuorum(ledgers.get(rest.get(n)), event(subject));
            acknowledged.add(subject);
        }

        net.heal();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .until(() ->
                        hs.stream().allMatch(h -> h.getCluster().getMembers().size() == 3));

        // Every acknowledged append is in the chain, as it was or as the record of a fork.
        HazelcastLedger reader = ledgers.get(rest.get(0));
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(subjects(await(reader.read(1, Integer.MAX_VALUE))))
                        .containsAll(acknowledged));
        List<String> chain = await(reader.read(1, Integer.MAX_VALUE));
        LedgerVerifier.Report report = new LedgerVerifier(Set.of()).verify(chain);
        assertThat(report.problem()).as(String.join("\n", chain)).isNull();

        // The fork is on record: the minority's entry came back as a ledger.fork record holding it
        // as it was, the verifier counts it, and the member that recorded it says so.
        List<LedgerLine> forks = chain.stream()
                .map(LedgerLine::parse)
                .filter(l -> LedgerForks.ACTION.equals(l.action()))
                .toList();
        assertThat(forks)
                .extracting(l -> LedgerLine.parse(
                                l.fields().path("details").path("entry").asText())
                        .fields()
                        .path("subject")
                        .asText())
                .contains("split/minority");
        assertThat(report.forks()).isEqualTo(forks.size());
        assertThat(ledgers.stream()
                        .mapToInt(
                                l -> l.health().forks() == null ? 0 : l.health().forks())
                        .sum())
                .isEqualTo(forks.size());
        for (HazelcastLedger l : ledgers) {
            await(l.close());
        }
    }

    private static List<String> subjects(List<String> chain) {
        return chain.stream()
                .map(l -> LedgerLine.parse(l).fields().path("subject").asText())
                .toList();
    }

    /** Records {@code event}, again while the side's split-brain protection has not caught up. */
    private static void recordWithQuorum(HazelcastLedger ledger, AuditTrail.Event event) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                await(ledger.record(event));
                return;
            } catch (ExecutionException e) {
                if (!Quorum.lost(e) || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
