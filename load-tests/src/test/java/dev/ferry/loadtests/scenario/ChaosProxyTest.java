package dev.ferry.loadtests.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chaos proxy in front of a tiny Vert.x server standing in for a registry. */
class ChaosProxyTest {

    private static final String BLOB = "/v2/app/blobs/sha256:" + "ab".repeat(32);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final byte[] body = new byte[100_000];
    private Vertx vertx;
    private HttpServer upstream;
    private ChaosProxy proxy;

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        vertx = Vertx.vertx();
        // As a registry does: a HEAD states the blob's length and sends no body.
        upstream = vertx.createHttpServer()
                .requestHandler(r -> {
                    r.response().putHeader("Docker-Content-Digest", "sha256:" + "ab".repeat(32));
                    if (r.method() == HttpMethod.HEAD) {
                        r.response()
                                .putHeader("Content-Length", Integer.toString(body.length))
                                .end();
                    } else {
                        r.response().end(Buffer.buffer(body));
                    }
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        proxy = ChaosProxy.start(vertx, "127.0.0.1:" + upstream.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<byte[]> get(String method, String path) throws Exception {
        return Http.bytes(method, "http://" + proxy.host() + path, null, TIMEOUT);
    }

    @Test
    void passing_it_relays_bodies_and_headers_as_they_are() throws Exception {
        HttpResponse<byte[]> r = get("GET", BLOB);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue("sha256:" + "ab".repeat(32));
        HttpResponse<byte[]> head = get("HEAD", BLOB);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(body.length));
        assertThat(proxy.requests()).isEqualTo(2);
    }

    @Test
    void throttling_it_answers_429_with_retry_after_and_asks_nothing_upstream() throws Exception {
        proxy.mode(ChaosProxy.Mode.THROTTLE);

        HttpResponse<byte[]> r = get("GET", BLOB);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(proxy.throttled()).isEqualTo(1);
        proxy.mode(ChaosProxy.Mode.PASS);
        assertThat(get("GET", BLOB).statusCode()).isEqualTo(200);
    }

    @Test
    void corrupting_it_flips_one_byte_of_a_blob_body_keeping_its_length_and_leaves_other_paths_alone()
            throws Exception {
        proxy.mode(ChaosProxy.Mode.CORRUPT);

        byte[] got = get("GET", BLOB).body();
        byte[] manifest = get("GET", "/v2/app/manifests/v1").body();

        assertThat(got).hasSize(body.length).isNotEqualTo(body);
        int differing = 0;
        for (int i = 0; i < body.length; i++) {
            differing += got[i] == body[i] ? 0 : 1;
        }
        assertThat(differing).isEqualTo(1);
        assertThat(manifest).isEqualTo(body);
        assertThat(proxy.corrupted()).isEqualTo(1);
    }

    @Test
    void an_armed_window_opens_at_the_next_request_including_it_and_closes_by_itself() throws Exception {
        proxy.arm(ChaosProxy.Mode.THROTTLE, 300);
        Thread.sleep(400); // no request yet: the window has not opened, so it cannot have closed

        assertThat(proxy.windowPending()).isTrue();
        assertThat(get("GET", BLOB).statusCode()).isEqualTo(429);
        Thread.sleep(400);
        proxy.closeIfExpired();

        assertThat(proxy.windowPending()).isFalse();
        assertThat(get("GET", BLOB).statusCode()).isEqualTo(200);
        assertThat(proxy.throttled()).isEqualTo(1);
    }
}
