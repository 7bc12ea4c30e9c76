package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CompletionItem;
import dev.ferry.common.lease.LeaseProtocol.CompletionResult;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import dev.ferry.worker.lease.LeaseClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code ferry worker} process sends the completions of jobs that finish close together in
 * one request ({@code POST /v1/leases/completions}) to a {@code ferry coordinator} process, and
 * the coordinator fences each item on its own: a stale token refuses its item only.
 */
class CompletionBatchIT {

    private static final int REPOSITORIES = 4;
    private static final int TAGS = 12;

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final FerryProcesses ferry = new FerryProcesses();
    private final ObjectMapper json = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        ferry.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRemoteWorkersCompletionsTravelInBatchesAndAStaleTokenRefusesOnlyItsItem(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        Map<String, String> digests = new LinkedHashMap<>();
        for (int r = 0; r < REPOSITORIES; r++) {
            for (int t = 0; t < TAGS; t++) {
                SeededImage image = images.pushOciImage("batch/app" + r, "v" + t, 100L * r + t, 512);
                digests.put("batch/app" + r + ":v" + t, image.digest());
            }
        }
        Path schedule = Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror, url: "%s", insecure: true }
        policies:
          - name: batch
            source: { registry: source, repositories: ["batch/*"] }
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
        """.formatted(source.url(), mirror.url()));
        int api = ferry.coordinator(dir, schedule);
        FerryProcess.Result sync =
                FerryProcess.run("ctl", "--server", "http://127.0.0.1:" + api, "sync", "--policy", "batch", "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        String run = json.readTree(sync.stdout()).path("run").asText();

        // The test leases three jobs itself and completes them in one batch, one with a stale token.
        LeaseClient probe = new LeaseClient(vertx, "http://127.0.0.1:" + api, null);
        List<Lease> leased = leaseThree(probe);
        List<CompletionItem> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Lease l = leased.get(i);
            long token = i == 1 ? l.fencingToken() - 1 : l.fencingToken();
            items.add(new CompletionItem(l.leaseId(), new Completion(token, "failed", "probe gives it back", true)));
        }
        List<CompletionResult> results = await(probe.completeAll(items));

        assertThat(results).extracting(CompletionResult::status).containsExactly(204, 409, 204);
        assertThat(results.get(1).code()).isEqualTo("lease_lost");
        assertThat(results)
                .extracting(CompletionResult::leaseId)
                .containsExactlyElementsOf(leased.stream().map(Lease::leaseId).toList());
        JsonNode stillLeased = ferry.get(api, "/v1/jobs?state=leased");
        assertThat(stillLeased)
                .as("the refused item's job is still leased, the others are back in the queue")
                .hasSize(1);
        assertThat(stillLeased.get(0).path("id").asText())
                .isEqualTo(leased.get(1).jobId());
        // The single-completion path still works, with the current token.
        Lease refused = leased.get(1);
        await(probe.complete(
                refused.leaseId(), new Completion(refused.fencingToken(), "failed", "probe gives it back", true)));
        probe.close();

        long batchesBefore = counter(ferry.metrics(api), "ferry_lease_completion_batches_total");
        long itemsBefore = counter(ferry.metrics(api), "ferry_lease_completions_batched_total");
        assertThat(itemsBefore).isEqualTo(3);

        ferry.worker(dir, api, "w1", "local", 16);
        Awaitility.await()
                .atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !"running"
                        .equals(ferry.get(api, "/v1/runs/" + run).path("state").asText()));

        assertThat(ferry.get(api, "/v1/runs/" + run).path("state").asText()).isEqualTo("succeeded");
        JsonNode jobs = ferry.get(api, "/v1/jobs?policy=batch&limit=1000");
        assertThat(jobs).hasSize(REPOSITORIES * TAGS);
        jobs.forEach(j -> assertThat(j.path("state").asText()).as(j.toString()).isEqualTo("succeeded"));
        Skopeo skopeo = new Skopeo();
        digests.forEach((ref, digest) -> assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/" + ref))
                .as(ref)
                .isEqualTo(digest));

        String metrics = ferry.metrics(api);
        long batches = counter(metrics, "ferry_lease_completion_batches_total") - batchesBefore;
        long batched = counter(metrics, "ferry_lease_completions_batched_total") - itemsBefore;
        assertThat(batched)
                .as("every completion of the worker came on the batch path")
                .isGreaterThanOrEqualTo(REPOSITORIES * TAGS);
        assertThat(batched).as("some batch carried more than one completion").isGreaterThan(batches);
    }

    /** Leases three jobs as a worker would, polling a few times if a poll brings fewer. */
    private List<Lease> leaseThree(LeaseClient probe) throws Exception {
        List<Lease> got = new ArrayList<>();
        for (int poll = 0; poll < 10 && got.size() < 3; poll++) {
            await(probe.lease("probe", new LeaseRequest("local", 3 - got.size(), 5)))
                    .ifPresent(r -> got.addAll(r.leases()));
        }
        assertThat(got).as("leased by the test").hasSize(3);
        return got;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** A counter without labels in Prometheus text; 0 when absent. */
    private static long counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
