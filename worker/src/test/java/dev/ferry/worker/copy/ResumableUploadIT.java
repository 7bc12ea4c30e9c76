package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.image.SourceReadException;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.BlobRef;
import dev.ferry.testing.Digests;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.ProxiedRequest;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob transfers that break mid-blob are retried within the copy and resume the target's
 * upload session, against real registries behind {@link FaultProxy}s.
 *
 * <p>Chunks of 1.5 MB against hash checkpoints every 1 MiB, so a resume at a chunk boundary
 * re-reads the source from the checkpoint before it and hashes the bytes in between.
 */
@ExtendWith(VertxExtension.class)
class ResumableUploadIT {

    private static final long CHUNK = 1_500_000;
    private static final String UPLOADS = "/v2/%s/blobs/uploads/.+";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();
    private Vertx vertx;
    private HttpClientAgent http;
    private FaultProxy sourceProxy;
    private FaultProxy targetProxy;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.http = RegistryClient.newHttpClient(vertx, 8);
        this.sourceProxy = FaultProxy.start(source.host());
        this.targetProxy = FaultProxy.start(target.host());
    }

    @AfterEach
    void tearDown() {
        sourceProxy.close();
        targetProxy.close();
        http.close();
    }

    private ImageLocation at(FaultProxy proxy, String repo, String ref) {
        return at(proxy, repo, ref, RegistryClientOptions.DEFAULT_IDLE_TIMEOUT);
    }

    private ImageLocation at(FaultProxy proxy, String repo, String ref, Duration idle) {
        RegistryClientOptions options = RegistryClientOptions.withChunkSize(CHUNK)
                .withTimeouts(RegistryClientOptions.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(30), idle);
        RegistryClient client = new RegistryClient(
                http,
                new RegistryEndpoint(proxy.hostPort(), true),
                Credentials.anonymous(),
                options,
                Clock.systemUTC());
        return new ImageLocation(client, proxy.hostPort(), repo, ref);
    }

    private CopyResult copy(String repo) throws Exception {
        ImageCopier copier = ImageCopier.builder(
                        vertx, CopyOptions.defaults().withBlobRetries(3, Duration.ofMillis(100)), new KnownBlobs(100))
                .uploads(new ResumableUploads(10))
                .build();
        return Await.result(copier.copy(at(sourceProxy, repo, "v1"), at(targetProxy, repo, "v1"), new CopyProgress()));
    }

    /** A small layer (one PUT) and a 5 MB layer (four PATCHes); returns the image and its big layer. */
    private SeededImage pushImage(String repo, long seed) {
        return TestImages.forRegistry(source.registry()).pushOciImage(repo, "v1", seed, 2000, 5_000_000);
    }

    private static BlobRef bigLayer(SeededImage image) {
        return image.blobs().stream()
                .filter(b -> b.size() > 4_000_000)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aPatchThatBreaksMidBlobIsResumedAtTheRegistrysOffsetAndTheContentIsIntact(@TempDir Path dir) throws Exception {
        SeededImage image = pushImage("resume/app", 71);
        BlobRef big = bigLayer(image);
        // The third PATCH dies on the way: headers reached the registry, no body byte did.
        targetProxy
                .on("PATCH", UPLOADS.formatted("resume/app"))
                .skip(2)
                .times(1)
                .cutRequestBodyAfter(0);

        CopyResult result = copy("resume/app");

        assertThat(result.blobsCopied()).isEqualTo(3);
        assertContentArrived(image, big, "resume/app", dir);
        List<ProxiedRequest> patches = targetProxy.requests("PATCH", UPLOADS.formatted("resume/app"));
        assertThat(patches)
                .extracting(p -> p.header("Content-Range").orElse(""))
                .containsExactly(
                        "0-1499999",
                        "1500000-2999999",
                        "3000000-4499999",
                        "3000000-4499999",
                        "4500000-" + (big.size() - 1));
        assertThat(patches.get(2).fault()).isNotNull();
        assertThat(targetProxy.requests("POST", "/v2/resume/app/blobs/uploads/"))
                .hasSize(3);
        assertThat(targetProxy.requests("GET", UPLOADS.formatted("resume/app")))
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(204));
        // The source is re-read from the 2 MiB checkpoint, the last one before 3,000,000.
        List<ProxiedRequest> bigGets = sourceProxy.requests("GET", "/v2/resume/app/blobs/" + big.digest());
        assertThat(bigGets)
                .extracting(r -> r.header("Range").orElse("none"))
                .containsExactly("none", "bytes=" + (2 * RegistryClientOptions.MiB) + "-");
    }

    @Test
    void whenTheRegistryCannotResumeTheBlobStartsAgainFromZeroInANewSession(@TempDir Path dir) throws Exception {
        SeededImage image = pushImage("restart/app", 72);
        BlobRef big = bigLayer(image);
        // Cut inside the third PATCH body: distribution 2.8 keeps the partial bytes but then
        // refuses the session (its upload state token no longer matches), so it cannot resume.
        targetProxy
                .on("PATCH", UPLOADS.formatted("restart/app"))
                .skip(2)
                .times(1)
                .cutRequestBodyAfter(700_000);

        copy("restart/app");

        assertContentArrived(image, big, "restart/app", dir);
        List<ProxiedRequest> patches = targetProxy.requests("PATCH", UPLOADS.formatted("restart/app"));
        assertThat(patches)
                .extracting(p -> p.header("Content-Range").orElse(""))
                .containsExactly(
                        "0-1499999",
                        "1500000-2999999",
                        "3000000-4499999",
                        "0-1499999",
                        "1500000-2999999",
                        "3000000-4499999",
                        "4500000-" + (big.size() - 1));
        assertThat(targetProxy.requests("GET", UPLOADS.formatted("restart/app")))
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(404));
        assertThat(targetProxy.requests("POST", "/v2/restart/app/blobs/uploads/"))
                .hasSize(4);
        assertThat(sourceProxy.requests("GET", "/v2/restart/app/blobs/" + big.digest()))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.header("Range")).isEmpty());
    }

    @Test
    void aRateLimitedPatchIsRetriedNoSoonerThanRetryAfterAndResumed(@TempDir Path dir) throws Exception {
        SeededImage image = pushImage("limited/app", 73);
        BlobRef big = bigLayer(image);
        targetProxy
                .on("PATCH", UPLOADS.formatted("limited/app"))
                .skip(1)
                .times(1)
                .respond(429, 1);

        copy("limited/app");

        assertContentArrived(image, big, "limited/app", dir);
        List<ProxiedRequest> requests = targetProxy.requests();
        int limited = indexOf(requests, 429);
        ProxiedRequest next = requests.get(limited + 1);
        assertThat(Duration.between(requests.get(limited).answered(), next.arrived()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(targetProxy.requests("PATCH", UPLOADS.formatted("limited/app")))
                .extracting(p -> p.header("Content-Range").orElse(""))
                .containsExactly(
                        "0-1499999",
                        "1500000-2999999",
                        "1500000-2999999",
                        "3000000-4499999",
                        "4500000-" + (big.size() - 1));
    }

    @Test
    void aBlobThatKeepsFailingGivesUpAfterTheConfiguredAttempts() {
        pushImage("failing/app", 74);
        targetProxy.on("PATCH", UPLOADS.formatted("failing/app")).respond(503, null);

        assertThatThrownBy(() -> copy("failing/app"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 503")
                .satisfies(
                        e -> assertThat(((RegistryException) e).isTemporary()).isTrue());
        assertThat(targetProxy.requests("PATCH", UPLOADS.formatted("failing/app")))
                .hasSize(3);
        assertThat(skopeo.exists("docker://" + target.host() + "/failing/app:v1"))
                .isFalse();
        // The session kept for resuming is deleted once no attempt is left, not left in storage.
        assertThat(targetProxy.requests("DELETE", UPLOADS.formatted("failing/app")))
                .last()
                .satisfies(r -> assertThat(r.status()).isEqualTo(204));
        assertThat(target.registry().uploadSessions("failing/app")).isEmpty();
    }

    @Test
    void aSourceThatStallsMidBlobFailsTheCopyWithTheSourcesErrorAndTheSessionIsCancelled() {
        SeededImage image = pushImage("stall/app", 75);
        BlobRef big = bigLayer(image);
        sourceProxy.on("GET", "/v2/stall/app/blobs/" + big.digest()).stallResponseBodyAfter(2_000_000);
        Duration idle = Duration.ofSeconds(1);
        ImageCopier copier = ImageCopier.builder(
                        vertx, CopyOptions.defaults().withBlobRetries(2, Duration.ofMillis(100)), new KnownBlobs(100))
                .uploads(new ResumableUploads(10))
                .build();
        long started = System.nanoTime();

        assertThatThrownBy(() -> Await.result(copier.copy(
                        at(sourceProxy, "stall/app", "v1", idle),
                        at(targetProxy, "stall/app", "v1", idle),
                        new CopyProgress())))
                .isInstanceOfSatisfying(SourceReadException.class, e -> {
                    assertThat(e.isTemporary()).isTrue();
                    assertThat(e.source()).isEqualTo(sourceProxy.hostPort());
                })
                .hasMessageStartingWith("reading from the source " + sourceProxy.hostPort() + ": ")
                .hasMessageContaining("stall/app@" + big.digest())
                .hasMessageContaining("no bytes moved for 1s (idle timeout)")
                .hasMessageNotContaining(targetProxy.hostPort());

        // Two attempts of one idle timeout each (plus the backoff), not the target's timeouts.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(sourceProxy.requests("GET", "/v2/stall/app/blobs/" + big.digest()))
                .hasSize(2);
        assertThat(skopeo.exists("docker://" + target.host() + "/stall/app:v1")).isFalse();
        assertThat(targetProxy.requests("PUT", "/v2/stall/app/manifests/.+")).isEmpty();
        assertThat(targetProxy.requests("DELETE", UPLOADS.formatted("stall/app")))
                .isNotEmpty();
    }

    private static int indexOf(List<ProxiedRequest> requests, int status) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).status() == status) {
                return i;
            }
        }
        throw new AssertionError("no " + status + " among " + requests);
    }

    /** skopeo pulls the copy (verifying every blob) and the big blob's bytes hash to its digest. */
    private void assertContentArrived(SeededImage image, BlobRef big, String repo, Path dir) throws Exception {
        assertThat(skopeo.manifestDigest("docker://" + target.host() + "/" + repo + ":v1"))
                .isEqualTo(image.digest());
        skopeo.copy("docker://" + target.host() + "/" + repo + ":v1", "oci:" + dir.resolve("pulled") + ":v1");
        HttpResponse<byte[]> blob = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(target.registry().url() + "/v2/" + repo + "/blobs/" + big.digest()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(blob.body()).hasSize((int) big.size());
        assertThat(Digests.sha256(blob.body())).isEqualTo(big.digest());
    }
}
