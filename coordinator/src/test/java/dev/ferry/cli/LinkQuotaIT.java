package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link quota binds the bytes that reach the target, with one worker and with two sharing
 * it, and a quota changed at run time takes over within a renew. The rate is measured
 * independently of Ferry: by the growth of the target registry's storage directory over a
 * 10 s window. CI asserts ±15%; the benchmark in load-tests reports the tight figure.
 */
class LinkQuotaIT {

    private static final long MiB = 1024 * 1024;
    private static final double TOLERANCE = 0.15;

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final FerryProcesses ferry = new FerryProcesses();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws Exception {
        ferry.close();
    }

    @Test
    void oneWorkerIsHeldToTheLinksQuota(@TempDir Path dir) throws Exception {
        List<SeededImage> images = pushImages("one", 10);
        int api = startCoordinator(dir, "one", "3MiB/s");
        startWorker(dir, api, "w1");

        String run = sync(api, "one");
        double rate = measureTargetRate(10);
        assertThat(rate / MiB).as("MiB/s reaching the target").isCloseTo(3.0, within(3.0 * TOLERANCE));

        awaitRun(api, run, 120);
        Skopeo skopeo = new Skopeo();
        SeededImage last = images.get(images.size() - 1);
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/one/app9:v1"))
                .isEqualTo(last.digest());
    }

    @Test
    void twoWorkersShareTheQuotaAndARunTimeChangeTakesOver(@TempDir Path dir) throws Exception {
        pushImages("two", 20);
        int api = startCoordinator(dir, "two", "3MiB/s");
        startWorker(dir, api, "w1");
        startWorker(dir, api, "w2");

        String run = sync(api, "two");
        double before = measureTargetRate(10);
        Set<String> workers = new HashSet<>();
        for (JsonNode lease : get(api, "/v1/links").path("links").get(0).path("leases")) {
            workers.add(lease.path("workerId").asText());
        }
        assertThat(workers).as("both workers hold leases on the link").hasSize(2);
        assertThat(before / MiB).as("MiB/s with two workers").isCloseTo(3.0, within(3.0 * TOLERANCE));

        FerryProcess.Result set = FerryProcess.run(
                "ctl",
                "--server",
                "http://127.0.0.1:" + api,
                "links",
                "--from",
                "eu",
                "--to",
                "us",
                "--bandwidth",
                "6MiB/s",
                "--json");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(json.readTree(set.stdout()).path("origin").asText()).isEqualTo("api");
        Thread.sleep(1500); // a renew interval and a snapshot, with margin
        double after = measureTargetRate(10);
        assertThat(after / MiB).as("MiB/s after the change").isCloseTo(6.0, within(6.0 * TOLERANCE));

        awaitRun(api, run, 120);
        JsonNode link = get(api, "/v1/links").path("links").get(0);
        assertThat(link.path("bandwidth").asText()).isEqualTo("6MiB/s");
        assertThat(link.path("changedBy").asText()).startsWith("anonymous@");
    }

    @Test
    void aCancelStopsAThrottledCopyWithinARenewAndWritesNoTag(@TempDir Path dir) throws Exception {
        pushImages("slow", 2);
        int api = startCoordinator(dir, "slow", "256KiB/s");
        startWorker(dir, api, "w1");
        String run = sync(api, "slow");
        long base = storedBytes();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> storedBytes() - base > 512 * 1024);

        FerryProcess.Result cancel =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api, "cancel", "--run", run, "--json");
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(json.readTree(cancel.stdout()).path("state").asText()).isEqualTo("cancelling");

        // At 256 KiB/s the 12 MiB would take most of a minute: the run must end long before.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "cancelled"
                        .equals(get(api, "/v1/runs/" + run).path("state").asText()));
        for (JsonNode job : get(api, "/v1/jobs?policy=slow")) {
            assertThat(job.path("state").asText()).isEqualTo("cancelled");
        }
        // The worker stopped streaming: the target's storage grows no more (aborted uploads may go).
        Thread.sleep(1000);
        long settled = storedBytes();
        Thread.sleep(2000);
        assertThat(storedBytes()).isLessThanOrEqualTo(settled + 64 * 1024);
        Skopeo skopeo = new Skopeo();
        assertThat(skopeo.exists("docker://" + mirror.host() + "/slow/app0:v1")).isFalse();
        assertThat(skopeo.exists("docker://" + mirror.host() + "/slow/app1:v1")).isFalse();
    }

    /** {@code n} images of six unique 1 MiB layers under {@code prefix/appN:v1}. */
    private List<SeededImage> pushImages(String prefix, int n) {
        List<SeededImage> out = new ArrayList<>();
        TestImages images = TestImages.forRegistry(source.registry());
        for (int i = 0; i < n; i++) {
            out.add(images.pushOciImage(
                    prefix + "/app" + i, "v1", 1000L * prefix.hashCode() + i, MiB, MiB, MiB, MiB, MiB, MiB));
        }
        return out;
    }

    private int startCoordinator(Path dir, String prefix, String bandwidth) throws Exception {
        Path schedule = Files.writeString(
                dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, region: eu }
          - { name: mirror, url: "%s", insecure: true, region: us }
        links:
          - { from: eu, to: us, bandwidth: %s }
        policies:
          - name: %s
            source: { registry: source, repositories: ["%s/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url(), bandwidth, prefix, prefix));
        return ferry.coordinator(dir, schedule);
    }

    private void startWorker(Path dir, int api, String name) throws IOException {
        ferry.worker(dir, api, name, "us", 4);
    }

    private String sync(int api, String policy) throws Exception {
        FerryProcess.Result sync =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api, "sync", "--policy", policy, "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        return json.readTree(sync.stdout()).path("run").asText();
    }

    private void awaitRun(int api, String run, int seconds) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "succeeded"
                        .equals(get(api, "/v1/runs/" + run).path("state").asText()));
    }

    /**
     * Bytes per second the target's storage grew by over a window of {@code seconds}, once
     * copying is under way (the first 2 MiB arrived, so workers and leases are warm).
     */
    private double measureTargetRate(int seconds) throws InterruptedException {
        long base = storedBytes();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> storedBytes() - base > 2 * MiB);
        long start = storedBytes();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long end = storedBytes();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double rate = (end - start) / elapsed;
        System.out.printf("target storage grew %.2f MiB/s over %.1f s%n", rate / MiB, elapsed);
        return rate;
    }

    /** Every byte under the mirror's storage: finished blobs and uploads in progress alike. */
    private long storedBytes() {
        try (Stream<Path> files = Files.walk(mirror.registry().storageDir())) {
            return files.mapToLong(p -> {
                        try {
                            return Files.isRegularFile(p) ? Files.size(p) : 0;
                        } catch (NoSuchFileException gone) {
                            return 0; // an upload moved into place while we walked
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (UncheckedIOException | IOException e) {
            return storedBytesAfterARace();
        }
    }

    private long storedBytesAfterARace() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return storedBytes();
    }

    private JsonNode get(int api, String path) throws Exception {
        return ferry.get(api, path);
    }
}
