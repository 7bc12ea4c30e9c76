package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.transport.Authenticator;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.common.transport.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry whose tag list always links a fresh next page (last=t1, t2, ...) is followed up to
 * the page limit and no further. An in-process HTTP server plays the registry: it makes up a
 * new page for every request, which a canned answer cannot.
 */
@ExtendWith(VertxExtension.class)
class EndlessPagesTest {

    /** A small limit, so the test is quick on a busy machine; the default is {@link TagLister#MAX_PAGES}. */
    private static final int PAGES = 120;

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private HttpClientAgent http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(req -> {
                    int n = requests.incrementAndGet();
                    req.response()
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Link", "</v2/endless/app/tags/list?n=1&last=t" + n + ">; rel=\"next\"")
                            .end("{\"name\":\"endless/app\",\"tags\":[\"t" + n + "\"]}");
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        http = RegistryClient.newHttpClient(vertx, 4);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void aTagListThatAlwaysLinksAFreshPageStopsAtThePageLimit() {
        RegistryEndpoint endpoint = new RegistryEndpoint("127.0.0.1:" + server.actualPort(), true);
        Timeouts timeouts = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        HttpTransport transport = new HttpTransport(
                http,
                endpoint,
                new Authenticator(http, endpoint.host(), Credentials.anonymous(), Clock.systemUTC(), timeouts),
                Clock.systemUTC(),
                timeouts);
        TagLister lister = new TagLister(transport, 1, PAGES, TagLister.MAX_ENTRIES);

        RegistryException e = failure(lister.tags("endless/app"));

        assertThat(e.isTemporary()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("list tags of endless/app at http://127.0.0.1:" + server.actualPort()
                        + ": more than " + PAGES + " pages (Ferry's limit); gave up after " + PAGES + " pages and "
                        + PAGES
                        + " entries");
        assertThat(requests.get()).isEqualTo(PAGES);
    }
}
