package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proves each {@link FaultProxy} fault against a real docker-registry. */
class FaultProxyIT {

    @RegisterExtension
    static RegistryExtension plain = RegistryExtension.plain();

    private final HttpClient http = RegistryPusher.defaultClient();
    private final Skopeo skopeo = new Skopeo();
    private FaultProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(plain.host());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void imagesPushedAndPulledThroughTheProxyArriveIntactAndEveryRequestIsRecorded() {
        try (TestImages viaProxy = TestImages.forRegistry(proxy.url(), AuthHeader.none())) {
            SeededImage image = viaProxy.pushOciImage("fault/pass", "v1", 1, 3000, 1_500_000);

            assertThat(skopeo.manifestDigest(plain.host() + "/fault/pass:v1")).isEqualTo(image.digest());
            // skopeo uploads with chunked transfer encoding through the proxy
            skopeo.copy(plain.host() + "/fault/pass:v1", proxy.hostPort() + "/fault/copied:v1");
            assertThat(skopeo.manifestDigest(plain.host() + "/fault/copied:v1")).isEqualTo(image.digest());
        }
        List<ProxiedRequest> manifestPuts = proxy.requests("PUT", "/v2/fault/(pass|copied)/manifests/v1");
        assertThat(manifestPuts).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.fault()).isNull();
            assertThat(r.answered()).isAfterOrEqualTo(r.arrived());
        });
        assertThat(proxy.requests("PATCH", "/v2/fault/copied/blobs/uploads/.+"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(202));
        assertThat(proxy.requests().stream().map(ProxiedRequest::arrived).toList())
                .isSorted();
    }

    @Test
    void respondAnswersWithoutForwardingForTheNextNMatchingRequests() throws Exception {
        ProxyFault fault = proxy.on("GET", "/v2/").times(2).respond(429, 7);
        LogMark mark = plain.registry().mark();

        HttpResponse<String> first = get("/v2/");
        HttpResponse<String> second = get("/v2/");
        HttpResponse<String> third = get("/v2/");

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("7");
        assertThat(first.body()).contains("\"code\":\"TOOMANYREQUESTS\"");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(fault.fired()).isEqualTo(2);
        assertThat(fault.remaining()).isZero();
        List<ProxiedRequest> recorded = proxy.requests("GET", "/v2/");
        assertThat(recorded).extracting(ProxiedRequest::status).containsExactly(429, 429, 200);
        assertThat(recorded)
                .extracting(ProxiedRequest::fault)
                .containsExactly(ProxyFault.Kind.RESPOND, ProxyFault.Kind.RESPOND, null);
        assertThat(recorded.get(1).arrived()).isAfterOrEqualTo(recorded.get(0).answered());
        plain.registry().awaitRequestsSince(mark, "GET", "/v2/", 1, Duration.ofSeconds(5));
        assertThat(plain.registry().requestsSince(mark, "GET", "/v2/")).hasSize(1);

        proxy.on("HEAD", "/v2/").times(1).respond(429, 2);
        HttpResponse<Void> head = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/v2/"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(429);
        assertThat(head.headers().firstValue("Retry-After")).contains("2");
        assertThat(get("/v2/").statusCode()).isEqualTo(200); // the connection still works after the HEAD

        proxy.on("*", "/v2/.*").respond(503, null);
        HttpResponse<String> unavailable = get("/v2/");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).isEmpty();
        assertThat(unavailable.body()).contains("UNAVAILABLE");
        proxy.clear();
        assertThat(get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void skipLetsTheFirstMatchesThrough() throws Exception {
        proxy.on("GET", "/v2/").skip(1).times(1).respond(503, 1);

        assertThat(List.of(
                        get("/v2/").statusCode(),
                        get("/v2/").statusCode(),
                        get("/v2/").statusCode()))
                .containsExactly(200, 503, 200);
    }

    @Test
    void cutRequestBodyLeavesExactlyThatManyBytesInTheRegistrysUploadAndDropsTheClient() throws Exception {
        String location = startUpload("fault/cut-request");
        byte[] body = randomBytes(3_000_000, 5);
        proxy.on("PATCH", "/v2/fault/cut-request/blobs/uploads/.+").times(1).cutRequestBodyAfter(1_234_567);

        assertThatThrownBy(() -> http.send(
                        HttpRequest.newBuilder(URI.create(proxy.url() + location))
                                .header("Content-Type", "application/octet-stream")
                                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        plain.registry().awaitRequests("PATCH", "/v2/fault/cut-request/blobs/uploads/.+", 1);
        Path data = uploadDataFile("fault/cut-request", location);
        assertThat(Files.size(data)).isEqualTo(1_234_567);
        assertThat(proxy.requests("PATCH", ".*")).singleElement().satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.answered()).isNull();
            assertThat(r.fault()).isEqualTo(ProxyFault.Kind.CUT_REQUEST_BODY);
            assertThat(r.header("Content-Length")).contains("3000000");
        });
    }

    @Test
    void cutResponseBodyKeepsStatusAndHeadersButEndsTheBodyEarly() throws Exception {
        SeededImage image =
                TestImages.forRegistry(plain.registry()).pushOciImage("fault/cut-response", "v1", 2, 400_000);
        BlobRef layer = image.blobs().get(1);
        String path = "/v2/fault/cut-response/blobs/" + layer.digest();
        proxy.on("GET", "/v2/.+/blobs/.+").times(1).cutResponseBodyAfter(100_000);

        HttpResponse<InputStream> cut = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.headers().firstValueAsLong("Content-Length")).hasValue(layer.size());
        assertThat(readUntilFailure(cut.body())).isEqualTo(100_000);
        assertThat(proxy.requests("GET", path))
                .singleElement()
                .satisfies(r -> assertThat(r.fault()).isEqualTo(ProxyFault.Kind.CUT_RESPONSE_BODY));

        HttpResponse<byte[]> whole = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(Digests.sha256(whole.body())).isEqualTo(layer.digest());
    }

    @Test
    void stallResponseBodySendsThePrefixThenNothing() throws Exception {
        SeededImage image = TestImages.forRegistry(plain.registry()).pushOciImage("fault/stall-body", "v1", 3, 300_000);
        BlobRef layer = image.blobs().get(1);
        proxy.on("GET", "/v2/.+/blobs/.+").times(1).stallResponseBodyAfter(50_000);

        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/v2/fault/stall-body/blobs/" + layer.digest()))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        InputStream body = response.body();
        byte[] prefix = body.readNBytes(50_000);
        assertThat(prefix).hasSize(50_000);
        var next = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return body.read();
            } catch (IOException e) {
                return -2;
            }
        });
        Thread.sleep(700);
        assertThat(next).isNotDone();
        proxy.close();
        assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNegative();
    }

    @Test
    void stallNeverAnswersUntilCleared() throws Exception {
        proxy.on("GET", "/v2/").stall();
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url() + "/v2/"))
                .timeout(Duration.ofMillis(700))
                .build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(proxy.requests("GET", "/v2/")).singleElement().satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.fault()).isEqualTo(ProxyFault.Kind.STALL);
        });

        proxy.clear();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void downClosesEveryConnectionUntilUp() throws Exception {
        proxy.down();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> get("/v2/")).isInstanceOf(IOException.class);
        }
        assertThat(proxy.refusedConnections()).isGreaterThanOrEqualTo(2);
        assertThat(proxy.requests()).isEmpty();

        proxy.up();
        assertThat(get("/v2/").statusCode()).isEqualTo(200);
        assertThat(proxy.requests("GET", "/v2/")).hasSize(1);
    }

    @Test
    void downDropsConnectionsThatAreAlreadyOpen() throws Exception {
        proxy.on("GET", "/v2/").stall();
        var pending = http.sendAsync(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/v2/")).build(), HttpResponse.BodyHandlers.ofString());
        proxy.awaitRequests("GET", "/v2/", 1, Duration.ofSeconds(5));

        proxy.down();

        assertThatThrownBy(() -> pending.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
    }

    private String startUpload(String repository) throws Exception {
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(plain.url() + "/v2/" + repository + "/blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(202);
        String location = post.headers().firstValue("Location").orElseThrow();
        URI uri = URI.create(location);
        return uri.isAbsolute() ? uri.getRawPath() + "?" + uri.getRawQuery() : location;
    }

    /** The registry's file holding an upload's bytes so far. */
    private static Path uploadDataFile(String repository, String location) throws IOException {
        String uuid = URI.create(location).getPath().replaceAll(".*/", "");
        Path dir = plain.registry()
                .storageDir()
                .resolve("docker/registry/v2/repositories/" + repository + "/_uploads/" + uuid);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("data");
        }
        return dir.resolve("data");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long readUntilFailure(InputStream body) {
        long read = 0;
        byte[] buffer = new byte[8192];
        try (body) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                read += n;
            }
        } catch (IOException expected) {
            // the proxy closed the connection before Content-Length bytes
        }
        return read;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
