package dev.ferry.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The single-request upload against a small registry of this test's own, which either takes
 * it (201) or refuses it (405) and takes the two-request path; distribution's 202 answer is
 * covered against the real registry in {@code ImageCopierIT}.
 */
@ExtendWith(VertxExtension.class)
class BlobPosterTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Buffer> stored = new ConcurrentHashMap<>();
    private HttpServer server;
    private HttpClientAgent http;

    @AfterEach
    void tearDown() throws Exception {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RegistryClient start(Vertx vertx, boolean takesSinglePost) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    requests.add(req.method() + " " + req.uri());
                    answer(req, body, takesSinglePost);
                }));
        Futures.await(server.listen(0, "127.0.0.1"));
        http = RegistryClient.newHttpClient(vertx, 4);
        return new RegistryClient(
                http,
                new RegistryEndpoint("127.0.0.1:" + server.actualPort(), true),
                Credentials.anonymous(),
                RegistryClientOptions.defaults(),
                Clock.systemUTC());
    }

    private void answer(HttpServerRequest req, Buffer body, boolean takesSinglePost) {
        String digest = req.getParam("digest");
        boolean upload = req.path().startsWith("/v2/app/blobs/uploads/");
        if (req.path().equals("/v2/")) {
            req.response().setStatusCode(200).end("{}"); // the version check before a streamed upload
        } else if (upload && req.method().name().equals("POST") && digest == null) {
            req.response()
                    .setStatusCode(202)
                    .putHeader("Location", "/v2/app/blobs/uploads/s1")
                    .end();
        } else if (upload
                && digest != null
                && (takesSinglePost || req.method().name().equals("PUT"))) {
            if (!Digest.sha256(body.getBytes()).toString().equals(digest)) {
                req.response().setStatusCode(400).end();
                return;
            }
            stored.put(digest, body);
            req.response()
                    .setStatusCode(201)
                    .putHeader("Docker-Content-Digest", digest)
                    .end();
        } else if (upload) {
            req.response().setStatusCode(405).end();
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    private static Descriptor blob(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Descriptor.of("application/octet-stream", Digest.sha256(bytes), bytes.length);
    }

    private static BufferStream content(String text) {
        return new BufferStream(Buffer.buffer(text));
    }

    /**
     * Runs {@code call} on a Vert.x context, as the worker and ferry copy do: a chunked upload
     * arms its idle watchdog on the caller's context, and a test thread has none (the second
     * upload of a test could then fail with "an idle watchdog needs a Vert.x context" whenever
     * its first step completed at once on the test thread).
     */
    private static <T> io.vertx.core.Future<T> onContext(
            Vertx vertx, java.util.function.Supplier<io.vertx.core.Future<T>> call) {
        io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(done));
        return done.future();
    }

    @Test
    void aRegistryThatTakesItGetsEachSmallBlobInOneRequest(Vertx vertx) throws Exception {
        RegistryClient client = start(vertx, true);

        Futures.await(
                onContext(vertx, () -> client.putBlob("app", blob("first small blob"), content("first small blob"))));
        Futures.await(
                onContext(vertx, () -> client.putBlob("app", blob("second small blob"), content("second small blob"))));

        assertThat(requests).hasSize(2).allMatch(r -> r.startsWith("POST /v2/app/blobs/uploads/?digest=sha256%3A"));
        assertThat(stored)
                .containsKeys(
                        blob("first small blob").digest().toString(),
                        blob("second small blob").digest().toString());
    }

    @Test
    void aRegistryThatRefusesItGetsTheBlobInTwoRequestsAndIsNotAskedAgain(Vertx vertx) throws Exception {
        RegistryClient client = start(vertx, false);

        Futures.await(
                onContext(vertx, () -> client.putBlob("app", blob("first small blob"), content("first small blob"))));
        Futures.await(
                onContext(vertx, () -> client.putBlob("app", blob("second small blob"), content("second small blob"))));

        requests.remove("GET /v2/");
        assertThat(requests).hasSize(5);
        assertThat(requests.get(0)).startsWith("POST /v2/app/blobs/uploads/?digest=");
        assertThat(requests.subList(1, 5))
                .extracting(r -> r.replaceAll("\\?digest=.*", "?digest="))
                .containsExactly(
                        "POST /v2/app/blobs/uploads/",
                        "PUT /v2/app/blobs/uploads/s1?digest=",
                        "POST /v2/app/blobs/uploads/",
                        "PUT /v2/app/blobs/uploads/s1?digest=");
        assertThat(stored).hasSize(2);
    }
}
