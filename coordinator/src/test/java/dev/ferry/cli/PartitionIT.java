package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.coordinator.testing.LoopbackPartition;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinator members on their own loopback addresses, a worker on each side, and the
 * network between the members cut during syncs: first 2/1, then 1/1/1, each healed after the
 * members have noticed. A checker watches the target the whole time. What must hold (see
 * docs/guarantees.md): the target never shows a tag whose manifest the source did not have
 * there, nor one with anything missing beneath it; after the heals the schedule's jobs end
 * succeeded and the target equals the source; every member serves the same routes, the same
 * job states and the same audit chain; no audit entry that was acknowledged to a caller is
 * missing from that chain, including one a minority member acknowledged before it noticed the
 * cut (it may come back as a ledger.fork record, which keeps the entry's subject).
 */
class PartitionIT {

    private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final int REPOSITORIES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the sides go on apart once each has noticed the cut (workers keep working). */
    private static final long HOLD_MILLIS = 6_000;

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension spare = RegistryExtension.plain();

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroy);
        processes.forEach(p -> {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
    }

    @Test
    void cutsBetweenMembersDuringSyncsLoseNothingAndHalfWriteNothing(@TempDir Path dir) throws Exception {
        assumeTrue(LoopbackPartition.available(), "iptables cannot make a chain here (needs root / CAP_NET_ADMIN)");
        TestImages images = TestImages.forRegistry(source.registry());
        Map<String, String> sourceDigests = new TreeMap<>();
        seed(images, sourceDigests, 0, 6);

        LoopbackPartition net = new LoopbackPartition(ADDRESSES);
        try {
            run(dir, images, sourceDigests, net);
        } finally {
            net.close();
            keepLogs(dir);
        }
    }

    /** Member and worker logs outlive the temp dir under target/partition-it, for a failed run. */
    private static void keepLogs(Path dir) throws IOException {
        Path keep = Files.createDirectories(Path.of("target", "partition-it"));
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void run(Path dir, TestImages images, Map<String, String> sourceDigests, LoopbackPartition net)
            throws Exception {
        String name = "ferry-part-" + UUID.randomUUID();
        Path schedule =
                Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        cluster: { name: %s }
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true, region: local }
          - { name: spare, url: "%s", insecure: true, region: local }
        policies:
          - name: part
            source: { registry: source, repositories: ["part/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
          - name: other
            source: { registry: source, repositories: ["nothing/here"] }
            targets: [ { registry: spare } ]
            trigger: { manual: true }
        routes:
          - { name: local, region: local, mirrors: [mirror, spare] }
        """.formatted(name, source.url(), mirror.url(), spare.url()));
        List<Integer> clusterPorts = List.of(FreePort.forListener(), FreePort.forListener(), FreePort.forListener());
        List<Integer> apiPorts = List.of(FreePort.forListener(), FreePort.forListener(), FreePort.forListener());
        String members = String.join(
                ",",
                Stream.of(0, 1, 2)
                        .map(i -> ADDRESSES.get(i) + ":" + clusterPorts.get(i))
                        .toList());
        // Outgoing member sockets bind the member's own address, so the cut can tell members apart;
        // heartbeats and merges are fast so that a test minute sees a split, its detection and a merge.
        List<String> jvm = List.of(
                "-Dhazelcast.socket.client.bind.any=false",
                "-Dhazelcast.socket.bind.any=false",
                "-Dhazelcast.heartbeat.interval.seconds=1",
                "-Dhazelcast.max.no.heartbeat.seconds=6",
                "-Dhazelcast.merge.first.run.delay.seconds=5",
                "-Dhazelcast.merge.next.run.delay.seconds=5");
        for (int i = 0; i < 3; i++) {
            processes.add(FerryProcess.start(
                    dir.resolve("m" + i + ".log"),
                    jvm,
                    "coordinator",
                    "--config",
                    schedule.toString(),
                    "--api",
                    "127.0.0.1:" + apiPorts.get(i),
                    "--cluster-host",
                    ADDRESSES.get(i),
                    "--cluster-port",
                    String.valueOf(clusterPorts.get(i)),
                    "--members",
                    members,
                    "--cluster-size",
                    "3",
                    "--data-dir",
                    dir.resolve("d" + i).toString()));
        }
        awaitWholeCluster(apiPorts, Duration.ofSeconds(120));
        // A worker on each side of the 2/1 cut: one asks member 0, the other member 2.
        for (int i : List.of(0, 2)) {
            processes.add(FerryProcess.start(
                    dir.resolve("w" + i + ".log"),
                    "worker",
                    "--coordinator",
                    "http://127.0.0.1:" + apiPorts.get(i),
                    "--region",
                    "local",
                    "--concurrency",
                    "2"));
        }

        List<String> acknowledged = new ArrayList<>();
        Map<String, Integer> refusedDuringCuts = new LinkedHashMap<>();
        try (TargetInvariants target = new TargetInvariants(mirror.url())) {
            sourceDigests.forEach((ref, digest) -> target.expect(repo(ref), tag(ref), digest));
            target.start();

            // Round 1: 2/1 during a sync asked of the majority side.
            ctl(apiPorts.get(0), "sync", "--policy", "part");
            Thread.sleep(500);
            net.cut(List.of(List.of(ADDRESSES.get(0), ADDRESSES.get(1)), List.of(ADDRESSES.get(2))));
            // Before the minority member notices, it may still acknowledge a call: that entry must
            // survive the merge too.
            tryAdminCall(apiPorts.get(2), "pause", acknowledged, refusedDuringCuts, "2/1 minority, not noticed yet");
            awaitMembers(apiPorts, List.of(2, 2, 1));
            tryAdminCall(apiPorts.get(0), "pause", acknowledged, refusedDuringCuts, "2/1 majority");
            tryAdminCall(apiPorts.get(2), "resume", acknowledged, refusedDuringCuts, "2/1 minority");
            Thread.sleep(HOLD_MILLIS);
            net.heal();
            awaitWholeCluster(apiPorts, Duration.ofSeconds(120));
            for (int i = 0; i < 3; i++) {
                Files.writeString(
                        dir.resolve("chain-after-1-m" + i + ".log"), get(apiPorts.get(i), "/v1/audit?limit=100000"));
            }

            // Round 2: new source tags, then 1/1/1 during their sync.
            seed(images, sourceDigests, 6, 3);
            sourceDigests.forEach((ref, digest) -> target.expect(repo(ref), tag(ref), digest));
            ctl(apiPorts.get(1), "sync", "--policy", "part");
            Thread.sleep(500);
            net.cut(ADDRESSES.stream().map(List::of).toList());
            awaitMembers(apiPorts, List.of(1, 1, 1));
            for (int i = 0; i < 3; i++) {
                tryAdminCall(
                        apiPorts.get(i),
                        i % 2 == 0 ? "resume" : "pause",
                        acknowledged,
                        refusedDuringCuts,
                        "1/1/1 member " + i);
            }
            Thread.sleep(HOLD_MILLIS);
            net.heal();
            awaitWholeCluster(apiPorts, Duration.ofSeconds(120));

            // After the heals: the runs the cuts interrupted end (a run whose planning the split
            // refused ends failed), then one more sync brings in whatever they delayed.
            Awaitility.await()
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions()
                    .until(() -> parse(get(apiPorts.get(0), "/v1/status"))
                            .path("activeRuns")
                            .isEmpty());
            FerryProcess.Result last;
            try {
                last = ctl(apiPorts.get(2), "sync", "--policy", "part", "--wait", "--json");
            } catch (IllegalStateException stuck) {
                for (int i = 0; i < 3; i++) {
                    Files.writeString(
                            dir.resolve("stuck-status-m" + i + ".log"),
                            get(apiPorts.get(i), "/v1/status") + "\n"
                                    + get(apiPorts.get(i), "/v1/jobs?policy=part&limit=1000"));
                }
                throw stuck;
            }
            assertThat(last.exitCode()).as(last.stdout() + last.stderr()).isZero();
            assertThat(last.stdout()).contains("\"state\" : \"succeeded\"");
            // No job is stuck. A job still leased by an earlier run (its worker could not report
            // across the cut) is not re-planned by this sync, which can end before it: wait for
            // every job to settle, the checker still watching, before comparing with the source.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> jobs(apiPorts.get(0), "queued").isEmpty()
                            && jobs(apiPorts.get(0), "leased").isEmpty());
            target.checkOnce();
            target.close();

            assertThat(net.cuts()).isEqualTo(2);
            assertThat(target.breaches()).as("target breaches").isEmpty();
            assertThat(target.tagChecks())
                    .as("tags checked while the cuts came and went")
                    .isGreaterThan(50);
            System.out.printf(
                    "PartitionIT: %d tag checks, %d blob checks, %d skipped reads, %d listed-not-yet-served,"
                            + " breaches %s%n",
                    target.tagChecks(),
                    target.blobChecks(),
                    target.skipped(),
                    target.listedNotServed(),
                    target.breaches());
        }

        Skopeo skopeo = new Skopeo();
        for (Map.Entry<String, String> e : sourceDigests.entrySet()) {
            assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/" + e.getKey()))
                    .as("target %s equals the source", e.getKey())
                    .isEqualTo(e.getValue());
        }

        // Every member tells the same job states.
        Map<String, String> states0 = jobStates(apiPorts.get(0));
        assertThat(states0).isNotEmpty();
        assertThat(jobStates(apiPorts.get(1))).isEqualTo(states0);
        assertThat(jobStates(apiPorts.get(2))).isEqualTo(states0);
        System.out.println("PartitionIT job states: "
                + states0.values().stream()
                        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting())));

        // Same routes everywhere.
        String routes0 = get(apiPorts.get(0), "/v1/routes");
        assertThat(get(apiPorts.get(1), "/v1/routes")).isEqualTo(routes0);
        assertThat(get(apiPorts.get(2), "/v1/routes")).isEqualTo(routes0);

        // One audit chain, served alike by every member, holding every acknowledged call.
        String chain = get(apiPorts.get(0), "/v1/audit?limit=100000");
        assertThat(get(apiPorts.get(1), "/v1/audit?limit=100000")).isEqualTo(chain);
        assertThat(get(apiPorts.get(2), "/v1/audit?limit=100000")).isEqualTo(chain);
        List<JsonNode> entries =
                chain.lines().filter(l -> !l.isBlank()).map(PartitionIT::parse).toList();
        Path saved = Files.writeString(dir.resolve("chain.jsonl"), chain);
        Files.writeString(dir.resolve("chain-final.log"), chain);
        for (int i = 0; i < 3; i++) {
            try (Stream<Path> files = Files.list(dir.resolve("d" + i))) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("audit-ledger.jsonl"))
                        .toList()) {
                    Files.copy(f, dir.resolve("ledger-m" + i + "-" + f.getFileName() + ".log"));
                }
            }
        }
        Map<String, Long> acknowledgedBySubject = acknowledged.stream()
                .map(c -> c.substring(0, c.indexOf('@')))
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        // Acknowledged on either side, before or after a member noticed the cut: each is in the
        // chain, as it was or as a ledger.fork record (which keeps the entry's subject).
        acknowledgedBySubject.forEach((subject, count) -> assertThat(entries.stream()
                        .filter(e -> subject.equals(e.path("subject").asText()))
                        .count())
                .as("entries for %s, acknowledged %d times during the cuts (%s)", subject, count, acknowledged)
                .isGreaterThanOrEqualTo(count));
        long forkRecords = entries.stream()
                .filter(e -> "ledger.fork".equals(e.path("action").asText()))
                .count();
        FerryProcess.Result verify = FerryProcess.run("ctl", "audit", "verify", "--file", saved.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isIn(0, 3);

        // A member whose own file forked from the chain during a cut: count such entries.
        int forked = 0;
        Map<Long, String> hashBySeq = new TreeMap<>();
        entries.forEach(
                e -> hashBySeq.put(e.path("seq").asLong(), e.path("hash").asText()));
        for (int i = 0; i < 3; i++) {
            try (Stream<Path> files = Files.list(dir.resolve("d" + i))) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("audit-ledger.jsonl"))
                        .toList()) {
                    for (String line : Files.readAllLines(f)) {
                        JsonNode e = parse(line);
                        String inChain = hashBySeq.get(e.path("seq").asLong());
                        if (inChain != null && !inChain.equals(e.path("hash").asText())) {
                            forked++;
                        }
                    }
                }
            }
        }
        System.out.printf(
                "PartitionIT: %d audit entries, %d ledger.fork records, acknowledged calls during cuts %s,"
                        + " refused %s, member-file entries off the chain %d%n",
                entries.size(), forkRecords, acknowledged, refusedDuringCuts, forked);
    }

    /** Pushes {@code count} tags from {@code first} into each repository and records their digests. */
    private static void seed(TestImages images, Map<String, String> digests, int first, int count) {
        for (int r = 0; r < REPOSITORIES; r++) {
            for (int t = first; t < first + count; t++) {
                String repository = "part/r" + r;
                String tag = "v" + t;
                SeededImage image = images.pushOciImage(repository, tag, 1000L * r + t, 700 + t, 1500 + r);
                digests.put(repository + ":" + tag, image.digest());
            }
        }
    }

    private void tryAdminCall(
            int api, String verb, List<String> acknowledged, Map<String, Integer> refused, String where)
            throws Exception {
        FerryProcess.Result r = ctl(api, verb, "--policy", "other");
        if (r.exitCode() == 0) {
            acknowledged.add("/v1/policies/other/" + verb + "@" + where);
        } else {
            refused.merge(where, 1, Integer::sum);
        }
    }

    private static FerryProcess.Result ctl(int api, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ctl", "--server", "http://127.0.0.1:" + api));
        all.addAll(List.of(args));
        return FerryProcess.run(all.toArray(String[]::new));
    }

    /**
     * Until member {@code i} has noticed the cut: it sees {@code sizes.get(i)} members, or, on a
     * minority side (where the status cannot be read), it refuses with 503 no_quorum.
     */
    private void awaitMembers(List<Integer> apiPorts, List<Integer> sizes) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    for (int i = 0; i < apiPorts.size(); i++) {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts.get(i) + "/v1/status"))
                                        .timeout(Duration.ofSeconds(20))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        boolean noticed = sizes.get(i) * 2 < ADDRESSES.size()
                                ? r.statusCode() == 503 && r.body().contains("no_quorum")
                                : r.statusCode() == 200
                                        && parse(r.body()).path("members").size() == sizes.get(i);
                        if (!noticed) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private void awaitWholeCluster(List<Integer> apiPorts, Duration atMost) {
        Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> apiPorts.stream().allMatch(p -> {
                    try {
                        return parse(get(p, "/v1/status")).path("members").size() == 3;
                    } catch (Exception e) {
                        return false;
                    }
                }));
    }

    private List<JsonNode> jobs(int api, String state) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        parse(get(api, "/v1/jobs?policy=part&limit=1000" + (state == null ? "" : "&state=" + state)))
                .forEach(out::add);
        return out;
    }

    private Map<String, String> jobStates(int api) throws Exception {
        Map<String, String> states = new TreeMap<>();
        jobs(api, null)
                .forEach(j -> states.put(j.path("id").asText(), j.path("state").asText()));
        return states;
    }

    private String get(int api, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    private static String repo(String ref) {
        return ref.substring(0, ref.lastIndexOf(':'));
    }

    private static String tag(String ref) {
        return ref.substring(ref.lastIndexOf(':') + 1);
    }
}
