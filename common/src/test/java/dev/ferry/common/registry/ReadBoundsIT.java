package dev.ferry.common.registry;

import static dev.ferry.common.registry.Futures.await;
import static dev.ferry.common.registry.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.ProxiedRegistry;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every small read of the registry client is bounded: manifest, tag list and token bodies that
 * stall hit the idle timeout, and a tag list or catalog whose pages never end is refused. A real
 * registry sits behind a {@link FaultProxy} that misbehaves on demand.
 */
class ReadBoundsIT {

    private static final Duration SHORT = Duration.ofMillis(800);
    private static final String TAGS = "/v2/bounds/app/tags/list";

    @RegisterExtension
    static RegistryExtension registry = RegistryExtension.plain();

    private static SeededImage image;

    @RegisterExtension
    final ProxiedRegistry proxied = ProxiedRegistry.in(registry);

    private FaultProxy proxy;

    @BeforeAll
    static void seed() {
        image = TestImages.forRegistry(registry.registry()).pushOciImage("bounds/app", "v1", 11, 2000);
    }

    @BeforeEach
    void setUp() {
        proxy = proxied.proxy();
    }

    private RegistryClient client(String hostPort) {
        RegistryClientOptions options = RegistryClientOptions.withChunkSize(RegistryClientOptions.MiB)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), SHORT)
                .withPageSize(1);
        return proxied.client(hostPort, options);
    }

    @Test
    void aManifestBodyThatStallsAfterTwentyBytesFailsAfterTheIdleTimeout() {
        proxy.on("GET", "/v2/bounds/app/manifests/.+").stallResponseBodyAfter(20);

        RegistryException e = failure(client(proxy.hostPort()).getManifest("bounds/app", "v1"));

        assertThat(e.isTemporary()).isTrue();
        assertThat(e.getMessage())
                .isEqualTo(
                        "GET manifest bounds/app:v1 at " + proxy.url() + ": no bytes moved for 800ms (idle timeout)");
    }

    @Test
    void aTagListBodyThatStallsFailsAfterTheIdleTimeout() {
        proxy.on("GET", TAGS).stallResponseBodyAfter(5);

        RegistryException e = failure(client(proxy.hostPort()).listTags("bounds/app"));

        assertThat(e.isTemporary()).isTrue();
        assertThat(e.getMessage())
                .contains("list tags of bounds/app at " + proxy.url())
                .contains("idle timeout");
    }

    @Test
    void aBlobHeadThatIsNeverAnsweredTimesOut() {
        proxy.on("HEAD", "/v2/bounds/app/blobs/.+").stall();

        RegistryException e = failure(client(proxy.hostPort()).hasBlob("bounds/app", Digest.parse(image.digest())));

        assertThat(e.isTemporary()).isTrue();
        // The connection's idle limit (800 ms) comes before the first-byte limit (5 s) here.
        assertThat(e.getMessage())
                .contains("HEAD blob bounds/app@" + image.digest() + " at " + proxy.url())
                .contains("(idle timeout)");
    }

    @Test
    void aTokenServerThatStallsMidBodyFailsAfterTheIdleTimeout() {
        try (FaultProxy tokenServer = FaultProxy.start(registry.host())) {
            tokenServer.on("GET", "/token").stallResponseBodyAfter(0);
            tokenServer.on("GET", "/token").answer(200, Map.of(), "{\"token\":\"abc\"}"); // not reached
            proxy.on("GET", "/v2/")
                    .answer(
                            401,
                            Map.of(
                                    "WWW-Authenticate",
                                    "Bearer realm=\"" + tokenServer.url() + "/token\",service=\"bounds\""),
                            "{}");
            proxy.on("GET", TAGS)
                    .answer(
                            401,
                            Map.of(
                                    "WWW-Authenticate",
                                    "Bearer realm=\"" + tokenServer.url()
                                            + "/token\",service=\"bounds\",scope=\"repository:bounds/app:pull\""),
                            "{}");

            RegistryException e = failure(client(proxy.hostPort()).listTags("bounds/app"));

            assertThat(e.isTemporary()).isTrue();
            assertThat(e.getMessage())
                    .isEqualTo("token request to 127.0.0.1 for " + proxy.hostPort()
                            + ": no bytes moved for 800ms (idle timeout)");
        }
    }

    @Test
    void aTagListThatLinksBackToAPageItHadFailsAtOnceNamingTheLoop() {
        proxy.on("GET", TAGS)
                .answer(
                        200,
                        Map.of("Link", "<" + TAGS + "?n=1&last=v1>; rel=\"next\""),
                        "{\"name\":\"bounds/app\",\"tags\":[\"v1\"]}");

        RegistryException e = failure(client(proxy.hostPort()).listTags("bounds/app"));

        assertThat(e.isTemporary()).as("the registry would loop again").isFalse();
        assertThat(e.getMessage())
                .isEqualTo(
                        "list tags of bounds/app at " + proxy.url()
                                + ": the registry's pagination loops: page 2 links again to last=v1; gave up after 2 pages and 2 entries");
        assertThat(proxy.requests("GET", TAGS)).hasSize(2);
    }

    @Test
    void anEmptyPageThatStillLinksOnIsRefused() {
        proxy.on("GET", "/v2/_catalog")
                .answer(200, Map.of("Link", "</v2/_catalog?n=1&last=z>; rel=\"next\""), "{\"repositories\":[]}");

        RegistryException e = failure(client(proxy.hostPort()).catalog());

        assertThat(e.getMessage())
                .contains("list catalog at " + proxy.url())
                .contains(
                        "the registry's pagination makes no progress: page 1 has no entries but links to another page");
        assertThat(proxy.requests("GET", "/v2/_catalog")).hasSize(1);
    }

    @Test
    void moreTagsThanTheLimitAreRefused() {
        String tags = IntStream.range(0, TagLister.MAX_ENTRIES + 1)
                .mapToObj(i -> "\"t" + i + "\"")
                .collect(Collectors.joining(","));
        proxy.on("GET", TAGS).answer(200, Map.of(), "{\"name\":\"bounds/app\",\"tags\":[" + tags + "]}");

        RegistryException e = failure(client(proxy.hostPort()).listTags("bounds/app"));

        assertThat(e.isTemporary()).isFalse();
        assertThat(e.getMessage()).contains("more than " + TagLister.MAX_ENTRIES + " entries (Ferry's limit)");
    }

    @Test
    void anHonestPaginationIsFollowedToTheEnd() throws Exception {
        TestImages.forRegistry(registry.registry()).pushOciImage("bounds/b", "v1", 12, 2000);
        TestImages.forRegistry(registry.registry()).pushOciImage("bounds/c", "v1", 13, 2000);

        List<String> repositories = await(client(proxy.hostPort()).catalog());

        assertThat(repositories).contains("bounds/app", "bounds/b", "bounds/c").doesNotHaveDuplicates();
        assertThat(proxy.requests("GET", "/v2/_catalog").size())
                .as("one repository per page")
                .isGreaterThanOrEqualTo(3);
    }
}
