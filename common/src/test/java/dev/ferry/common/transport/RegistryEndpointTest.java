package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryEndpointTest {

    private final RegistryEndpoint secure = new RegistryEndpoint("registry.example.com:5000", false);
    private final RegistryEndpoint insecure = new RegistryEndpoint("localhost:5000", true);

    @Test
    void httpsUnlessInsecure() {
        assertThat(secure.baseUrl()).isEqualTo("https://registry.example.com:5000");
        assertThat(insecure.baseUrl()).isEqualTo("http://localhost:5000");
        assertThat(secure).hasToString("https://registry.example.com:5000");
    }

    @Test
    void everyDockerHubNameIsItsApiHost() {
        for (String hub : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io", "DOCKER.IO:443"}) {
            assertThat(new RegistryEndpoint(hub, false).baseUrl()).as(hub).isEqualTo("https://registry-1.docker.io");
        }
        assertThat(new RegistryEndpoint("mirror.docker.io.example.com", false).host())
                .isEqualTo("mirror.docker.io.example.com");
    }

    @Test
    void resolvesAnAbsolutePath() {
        assertThat(secure.resolve("/v2/a/b/manifests/latest"))
                .isEqualTo("https://registry.example.com:5000/v2/a/b/manifests/latest");
        assertThat(insecure.resolve("/v2/")).isEqualTo("http://localhost:5000/v2/");
    }

    @Test
    void pathWithoutLeadingSlashGetsOne() {
        assertThat(secure.resolve("v2/a/blobs/uploads/"))
                .isEqualTo("https://registry.example.com:5000/v2/a/blobs/uploads/");
    }

    @Test
    void queryStringIsKept() {
        assertThat(secure.resolve("/v2/a/blobs/uploads/123?_state=abc%3D&digest=sha256:00"))
                .isEqualTo("https://registry.example.com:5000/v2/a/blobs/uploads/123?_state=abc%3D&digest=sha256:00");
    }

    @Test
    void absoluteLocationIsUsedAsIs() {
        String s3 = "https://bucket.s3.amazonaws.com/docker/registry/v2/blobs/sha256/ab/abcd/data?X-Amz-Signature=x";

        assertThat(secure.resolve(s3)).isEqualTo(s3);
    }

    @Test
    void absoluteHttpLocationIsUsedAsIsEvenFromAnHttpsEndpoint() {
        assertThat(secure.resolve("http://other:8080/upload/1")).isEqualTo("http://other:8080/upload/1");
    }

    @Test
    void ipv6HostIsKeptBracketed() {
        assertThat(new RegistryEndpoint("[::1]:5000", true).resolve("/v2/")).isEqualTo("http://[::1]:5000/v2/");
    }
}
