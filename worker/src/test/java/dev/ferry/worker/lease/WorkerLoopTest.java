package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.await;
import static dev.ferry.worker.lease.Jobs.job;
import static dev.ferry.worker.lease.Jobs.layout;
import static dev.ferry.worker.lease.Jobs.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.testing.ImageFormat;
import dev.ferry.testing.ImageSpec;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.TestImages;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The worker loop against a fake coordinator, copying between OCI layout directories. */
@ExtendWith(VertxExtension.class)
class WorkerLoopTest {

    static final String TOKEN = "worker-Tk-5be2";
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private Vertx vertx;
    private FakeCoordinator fake;
    private CopyProbe probe;
    private LeaseClient client;
    private WorkerLoop worker;
    private Path sourceDir;
    private SeededImage image;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        fake = await(new FakeCoordinator(vertx).start());
        probe = new CopyProbe(vertx, fake.events);
        client = new LeaseClient(vertx, fake.url(), TOKEN);
        sourceDir = tmp.resolve("source");
        image = TestImages.offline().writeOciLayout(sourceDir, "v1", ImageSpec.oci(7, 2048, 16_384));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (worker != null) {
            await(worker.stop());
        }
        client.close();
        fake.close();
    }

    private WorkerLoop startWorker(int concurrency, Map<String, String> env) throws Exception {
        WorkerOptions options = WorkerOptions.of("w-1", "eu-west", concurrency)
                .withWaitSeconds(1)
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(800));
        worker = new WorkerLoop(
                vertx,
                client,
                options,
                new CompositeMeterRegistry(),
                new CredentialsResolver(env::get, tmp),
                RegistryClientOptions.defaults(),
                probe);
        await(worker.start());
        return worker;
    }

    private WorkerLoop startWorker(int concurrency) throws Exception {
        return startWorker(concurrency, Map.of());
    }

    private JobSpec copyTo(String target) {
        return job(layout("src-layout", sourceDir, "v1"), layout("dst-" + target, tmp.resolve(target), "v1"));
    }

    private Optional<String> tagAt(String target) throws Exception {
        return await(new OciLayoutStore(vertx, tmp.resolve(target)).headManifest("", "v1"))
                .map(d -> d.digest().toString());
    }

    private Completion completionOf(String leaseId) {
        await().atMost(TIMEOUT).until(() -> fake.completions.containsKey(leaseId));
        return fake.completions.get(leaseId);
    }

    private List<String> eventsOf(String leaseId, String target) {
        List<String> out = new ArrayList<>();
        synchronized (fake.events) {
            for (String e : fake.events) {
                if (e.contains(" " + leaseId) || e.startsWith("tag write " + target)) {
                    out.add(e.replaceAll(" " + leaseId + "\\b", "").replace(" " + target, ""));
                }
            }
        }
        return out;
    }

    @Test
    void leasedJobIsRenewedFencedAndCompletedInProtocolOrder() throws Exception {
        probe.hold("target-1");
        fake.onRenew = id ->
                FakeCoordinator.Answer.ok(new dev.ferry.common.lease.LeaseProtocol.RenewResponse(300, 100_000_000));
        fake.enqueue(lease("L1", 5, 300, copyTo("target-1")));

        startWorker(1);
        await().atMost(TIMEOUT).until(() -> fake.renewals.get() >= 2);
        probe.release("target-1");

        assertThat(completionOf("L1"))
                .usingRecursiveComparison()
                .ignoringFields("bytesCopied")
                .isEqualTo(new Completion(5, "succeeded", null, false));
        assertThat(completionOf("L1").bytesCopied())
                .as("the blob bytes the copy streamed")
                .isPositive();
        List<String> events = eventsOf("L1", "target-1");
        assertThat(events.get(0)).isEqualTo("renew");
        // Renewals go on until the tag is written, so they may come between the others.
        assertThat(events)
                .filteredOn(e -> !e.equals("renew"))
                .containsExactly("commit-intent v1", "tag write v1", "complete succeeded");
        CommitIntent intent = (CommitIntent) fake.callsFor("L1").stream()
                .filter(c -> c.endpoint().equals("commit-intent"))
                .findFirst()
                .orElseThrow()
                .body();
        assertThat(intent).isEqualTo(new CommitIntent(5, "v1", image.digest()));
        assertThat(tagAt("target-1")).contains(image.digest());
        RenewRequest lastRenew = (RenewRequest) fake.callsFor("L1").stream()
                .filter(c -> c.endpoint().equals("renew"))
                .reduce((a, b) -> b)
                .orElseThrow()
                .body();
        assertThat(lastRenew.bytesDone()).isGreaterThanOrEqualTo(0);
        assertThat(fake.calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(fake.leaseRequests.get(0)).isEqualTo(new LeaseRequest("eu-west", 1, 1));
        await().atMost(TIMEOUT).until(() -> worker.active() == 0);
        assertThat(worker.completed()).isEqualTo(1);
        assertThat(worker.failed()).isZero();
        Thread.sleep(50);
        int renewals = fake.renewals.get();
        await().during(Duration.ofMillis(400))
                .atMost(Duration.ofSeconds(2))
                .until(() -> fake.renewals.get() == renewals);
    }

    @Test
    void refusedCommitIntentLeavesNoTagAndCompletesNothingAsSucceeded() throws Exception {
        fake.onCommitIntent = ci -> FakeCoordinator.Answer.ok(new CommitDecision(false, "sha256:" + "ab".repeat(32)));
        fake.enqueue(lease("L1", 3, 10_000, copyTo("target-1")));

        startWorker(1);

        Completion completion = completionOf("L1");
        assertThat(completion.outcome()).isEqualTo("conflict");
        assertThat(completion.temporary()).isFalse();
        assertThat(completion.error()).contains("refused", "v1", image.digest());
        assertThat(tagAt("target-1")).isEmpty();
        assertThat(fake.events).noneMatch(e -> e.startsWith("tag write"));
        await().atMost(TIMEOUT).until(() -> worker.active() == 0);
        assertThat(worker.completed()).isZero();
        assertThat(worker.status().conflicts()).isEqualTo(1);
    }

    @Test
    void staleFencingTokenAtCommitIntentLosesTheLeaseWithoutTagOrCompletion() throws Exception {
        fake.onCommitIntent = ci -> FakeCoordinator.Answer.error(409, "lease_lost", "fencing token 3 is stale");
        fake.enqueue(lease("L1", 3, 10_000, copyTo("target-1")));

        startWorker(1);

        await().atMost(TIMEOUT).until(() -> worker.status().lost() == 1);
        assertThat(tagAt("target-1")).isEmpty();
        assertThat(fake.completions).doesNotContainKey("L1");
        assertThat(worker.active()).isZero();
    }

    @Test
    void renewAnswered409AbortsTheCopyBeforeTheTagWrite() throws Exception {
        probe.hold("target-1");
        fake.onRenew = id -> FakeCoordinator.Answer.error(409, "lease_lost", "lease " + id + " expired");
        fake.enqueue(lease("L1", 2, 150, copyTo("target-1")));

        startWorker(1);
        await().atMost(TIMEOUT).until(() -> worker.status().lost() == 1 && probe.waitingAt("target-1"));
        probe.release("target-1");
        // The slot frees (and the worker polls again) only once the copy has ended.
        await().atMost(TIMEOUT).until(() -> fake.leasePolls() >= 2);

        assertThat(tagAt("target-1")).isEmpty();
        assertThat(fake.callsFor("L1"))
                .extracting(FakeCoordinator.Call::endpoint)
                .containsOnly("renew");
        assertThat(fake.renewals.get()).isEqualTo(1);
        assertThat(fake.completions).isEmpty();
        assertThat(worker.active()).isZero();
    }

    @Test
    void drainHandsBackUnfinishedJobsAsTemporaryFailuresAndStopsPolling() throws Exception {
        probe.hold("target-1");
        probe.hold("target-2");
        fake.enqueue(lease("L1", 1, 10_000, copyTo("target-1")), lease("L2", 1, 10_000, copyTo("target-2")));
        startWorker(2);
        await().atMost(TIMEOUT).until(() -> probe.waitingAt("target-1") && probe.waitingAt("target-2"));

        Future<Void> drained = worker.drain(Duration.ofSeconds(2));
        probe.release("target-2");
        await(drained);

        assertThat(fake.completions.get("L2").outcome()).isEqualTo("succeeded");
        assertThat(fake.completions.get("L1")).isEqualTo(new Completion(1, "failed", "worker draining", true));
        assertThat(worker.status())
                .extracting(
                        WorkerStatus::active, WorkerStatus::succeeded, WorkerStatus::handedBack, WorkerStatus::draining)
                .containsExactly(0, 1L, 1L, true);
        int polls = fake.leasePolls();
        probe.release("target-1");
        // A polling worker would ask again within its 1 s wait.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> fake.leasePolls() == polls);
        assertThat(tagAt("target-1")).isEmpty();
        assertThat(tagAt("target-2")).contains(image.digest());
        assertThat(fake.callsFor("L1"))
                .extracting(FakeCoordinator.Call::endpoint)
                .doesNotContain("commit-intent");
    }

    @Test
    void leasesArrivingWhileDrainingAreHandedBackAtOnce() throws Exception {
        startWorker(1);
        await().atMost(TIMEOUT).until(() -> fake.leasePolls() >= 1);

        Future<Void> drained = worker.drain(Duration.ofSeconds(30));
        fake.enqueue(lease("L1", 4, 10_000, copyTo("target-1")));
        await(drained);

        assertThat(fake.completions.get("L1")).isEqualTo(new Completion(4, "failed", "worker draining", true));
        assertThat(tagAt("target-1")).isEmpty();
        assertThat(worker.status().handedBack()).isEqualTo(1);
    }

    @Test
    void concurrencyNeverExceedsTheSlots() throws Exception {
        probe.delayUploads(150);
        List<Lease> leases = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            leases.add(lease("L" + i, 1, 10_000, copyTo("target-" + i)));
        }
        fake.enqueue(leases.toArray(Lease[]::new));

        startWorker(2);
        await().atMost(TIMEOUT).until(() -> fake.completions.size() == 6);

        assertThat(fake.completions.values()).extracting(Completion::outcome).containsOnly("succeeded");
        assertThat(fake.maxOutstanding()).isEqualTo(2);
        assertThat(probe.maxConcurrentTargets()).isBetween(1, 2);
        assertThat(fake.leaseRequests).extracting(LeaseRequest::capacity).allMatch(c -> c >= 1 && c <= 2);
        for (int i = 1; i <= 6; i++) {
            assertThat(tagAt("target-" + i)).contains(image.digest());
        }
        await().atMost(TIMEOUT).until(() -> worker.completed() == 6);
    }

    @Test
    void unreachableCoordinatorIsRetriedWithGrowingPausesThenWorkResumes() throws Exception {
        List<Long> pollTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        fake.onLease = lr -> {
            pollTimes.add(System.nanoTime());
            return pollTimes.size() <= 4 ? FakeCoordinator.Answer.error(503, "unavailable", "no quorum") : null;
        };
        startWorker(1);
        await().atMost(TIMEOUT).until(() -> pollTimes.size() >= 5);
        fake.enqueue(lease("L1", 1, 10_000, copyTo("target-1")));

        assertThat(completionOf("L1").outcome()).isEqualTo("succeeded");
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < 5; i++) {
            gaps.add((pollTimes.get(i) - pollTimes.get(i - 1)) / 1_000_000);
        }
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(90);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(190);
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(390);
        assertThat(gaps.get(3)).isGreaterThanOrEqualTo(790).isLessThan(5_000);
    }

    @Test
    void badInputIsRejectedAndRegistryErrorsFailWithTheirRetryability() throws Exception {
        Path indexDir = tmp.resolve("index-source");
        TestImages.offline().writeOciLayoutIndex(indexDir, "multi", ImageFormat.OCI, 9);
        CredentialsRef missingEnv = new CredentialsRef("ci", "NO_SUCH_PW", null, null);
        CredentialsRef setEnv = new CredentialsRef("ci", "HUB_PW", null, null);
        fake.enqueue(
                lease(
                        "bad-platform",
                        1,
                        10_000,
                        job(layout("src", sourceDir, "v1"), layout("dst", tmp.resolve("t1"), "v1"), "linux")),
                lease(
                        "bad-url",
                        1,
                        10_000,
                        job(
                                Jobs.registry("ftp", "ftp://example.com", "a", "v1", null),
                                layout("dst", tmp.resolve("t2"), "v1"))),
                lease(
                        "no-platform",
                        1,
                        10_000,
                        job(
                                layout("src", indexDir, "multi"),
                                layout("dst", tmp.resolve("t3"), "multi"),
                                "linux/s390x")),
                lease(
                        "missing-tag",
                        1,
                        10_000,
                        job(layout("src", sourceDir, "nope"), layout("dst", tmp.resolve("t4"), "v1"))),
                lease(
                        "no-secret",
                        1,
                        10_000,
                        job(
                                Jobs.registry("hub", "http://127.0.0.1:1", "a", "v1", missingEnv),
                                layout("dst", tmp.resolve("t5"), "v1"))),
                lease(
                        "down",
                        1,
                        10_000,
                        job(
                                Jobs.registry("hub", "http://127.0.0.1:1", "a", "v1", setEnv),
                                layout("dst", tmp.resolve("t6"), "v1"))));

        startWorker(3, Map.of("HUB_PW", "hub-Secret-91x"));

        // Bad input fails for good; "rejected" is the signature gate's alone.
        assertThat(completionOf("bad-platform"))
                .extracting(Completion::outcome, Completion::temporary)
                .containsExactly("failed", false);
        assertThat(completionOf("bad-url"))
                .extracting(Completion::outcome, Completion::temporary)
                .containsExactly("failed", false);
        assertThat(completionOf("bad-url").error()).contains("ftp://example.com");
        assertThat(completionOf("no-platform"))
                .extracting(Completion::outcome, Completion::temporary)
                .containsExactly("failed", false);
        assertThat(completionOf("no-platform").error()).contains("linux/s390x");
        assertThat(completionOf("missing-tag"))
                .extracting(Completion::outcome, Completion::temporary)
                .containsExactly("failed", false);
        assertThat(completionOf("no-secret"))
                .extracting(Completion::outcome, Completion::temporary)
                .containsExactly("failed", false);
        assertThat(completionOf("no-secret").error()).contains("NO_SUCH_PW");
        // Refused on every retry: the registry's breaker opens, and the job is held, not failed.
        assertThat(completionOf("down"))
                .extracting(Completion::outcome, Completion::temporary)
                .containsExactly("held", true);
        assertThat(completionOf("down").holdMillis()).isPositive();
        assertThat(fake.completions.values())
                .extracting(Completion::error)
                .allSatisfy(e -> assertThat(e).doesNotContain("hub-Secret-91x"));
        await().atMost(TIMEOUT).until(() -> worker.failed() == 5 && worker.held() == 1);
    }
}
