package dev.ferry.common.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    private static final String HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final Digest DIGEST = new Digest("sha256", HEX);

    @Nested
    class DockerHubNormalisation {

        @Test
        void singleComponentNameIsAnOfficialImageOnDockerHubWithLatestTag() {
            Reference ref = Reference.parse("nginx");

            assertThat(ref.registry()).isEqualTo("docker.io");
            assertThat(ref.repository()).isEqualTo("library/nginx");
            assertThat(ref.tag()).isEqualTo("latest");
            assertThat(ref.digest()).isNull();
        }

        @Test
        void userRepositoryIsOnDockerHubWithoutLibraryPrefix() {
            Reference ref = Reference.parse("user/app");

            assertThat(ref.registry()).isEqualTo("docker.io");
            assertThat(ref.repository()).isEqualTo("user/app");
            assertThat(ref.tag()).isEqualTo("latest");
        }

        @Test
        void explicitDockerIoHostStillGetsLibraryPrefix() {
            assertThat(Reference.parse("docker.io/nginx")).isEqualTo(Reference.parse("nginx"));
            assertThat(Reference.parse("docker.io/library/nginx:latest")).isEqualTo(Reference.parse("nginx"));
        }

        @Test
        void libraryPrefixIsNotAddedTwice() {
            assertThat(Reference.parse("library/nginx").repository()).isEqualTo("library/nginx");
        }

        @Test
        void libraryPrefixIsOnlyAddedForDockerHub() {
            assertThat(Reference.parse("localhost/nginx").repository()).isEqualTo("nginx");
            assertThat(Reference.parse("quay.io/nginx").repository()).isEqualTo("nginx");
        }

        @Test
        void dockerHubApiLivesOnRegistry1() {
            assertThat(Reference.parse("nginx").apiHost()).isEqualTo("registry-1.docker.io");
            assertThat(Reference.parse("docker.io/user/app:v1").apiHost()).isEqualTo("registry-1.docker.io");
        }

        @Test
        void otherRegistriesAreTheirOwnApiHost() {
            assertThat(Reference.parse("ghcr.io/o/r").apiHost()).isEqualTo("ghcr.io");
            assertThat(Reference.parse("localhost:5000/a").apiHost()).isEqualTo("localhost:5000");
        }

        @Test
        void theHubsApiHostIsTheHubToo() {
            Reference ref = Reference.parse("registry-1.docker.io/nginx:1.27");

            assertThat(ref).isEqualTo(Reference.parse("docker.io/library/nginx:1.27"));
            assertThat(ref.repository()).isEqualTo("library/nginx");
        }

        @Test
        void hostWithUppercaseLettersIsKeptAsWritten() {
            assertThat(Reference.parse("Registry.Example.com/a").registry()).isEqualTo("Registry.Example.com");
        }

        @Test
        void legacyIndexDockerIoHostIsDockerHub() {
            Reference ref = Reference.parse("index.docker.io/nginx:1.25");

            assertThat(ref.registry()).isEqualTo("docker.io");
            assertThat(ref.repository()).isEqualTo("library/nginx");
            assertThat(ref.apiHost()).isEqualTo("registry-1.docker.io");
        }
    }

    @Nested
    class HostDetection {

        @Test
        void localhostWithPortIsARegistry() {
            Reference ref = Reference.parse("localhost:5000/a");

            assertThat(ref.registry()).isEqualTo("localhost:5000");
            assertThat(ref.repository()).isEqualTo("a");
            assertThat(ref.tag()).isEqualTo("latest");
        }

        @Test
        void bareLocalhostIsARegistry() {
            Reference ref = Reference.parse("localhost/a/b");

            assertThat(ref.registry()).isEqualTo("localhost");
            assertThat(ref.repository()).isEqualTo("a/b");
        }

        @Test
        void dottedHostIsARegistry() {
            Reference ref = Reference.parse("registry.example.com/a/b:v1");

            assertThat(ref.registry()).isEqualTo("registry.example.com");
            assertThat(ref.repository()).isEqualTo("a/b");
            assertThat(ref.tag()).isEqualTo("v1");
        }

        @Test
        void ipv4HostWithPortAndDigest() {
            Reference ref = Reference.parse("127.0.0.1:5000/x@sha256:" + HEX);

            assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
            assertThat(ref.repository()).isEqualTo("x");
            assertThat(ref.tag()).isNull();
            assertThat(ref.digest()).isEqualTo(DIGEST);
        }

        @Test
        void bracketedIpv6HostWithPort() {
            Reference ref = Reference.parse("[::1]:5000/a");

            assertThat(ref.registry()).isEqualTo("[::1]:5000");
            assertThat(ref.repository()).isEqualTo("a");
            assertThat(ref.apiHost()).isEqualTo("[::1]:5000");
        }

        @Test
        void bracketedIpv6HostWithoutPort() {
            Reference ref = Reference.parse("[fe80::1]/a:t");

            assertThat(ref.registry()).isEqualTo("[fe80::1]");
            assertThat(ref.repository()).isEqualTo("a");
            assertThat(ref.tag()).isEqualTo("t");
        }

        @Test
        void firstComponentWithoutDotColonOrLocalhostIsARepositoryPath() {
            Reference ref = Reference.parse("myregistry/a/b");

            assertThat(ref.registry()).isEqualTo("docker.io");
            assertThat(ref.repository()).isEqualTo("myregistry/a/b");
        }

        @Test
        void colonWithoutSlashIsATagNotAPort() {
            Reference ref = Reference.parse("localhost:5000");

            assertThat(ref.registry()).isEqualTo("docker.io");
            assertThat(ref.repository()).isEqualTo("library/localhost");
            assertThat(ref.tag()).isEqualTo("5000");
        }

        @Test
        void tagIsSeparatedFromAHostPort() {
            Reference ref = Reference.parse("host.example:8443/team/app:1.2.3");

            assertThat(ref.registry()).isEqualTo("host.example:8443");
            assertThat(ref.repository()).isEqualTo("team/app");
            assertThat(ref.tag()).isEqualTo("1.2.3");
        }
    }

    @Nested
    class TagAndDigest {

        @Test
        void tagAndDigestAreBothKept() {
            Reference ref = Reference.parse("ghcr.io/o/r:v1@sha256:" + HEX);

            assertThat(ref.tag()).isEqualTo("v1");
            assertThat(ref.digest()).isEqualTo(DIGEST);
        }

        @Test
        void identifierPrefersTheDigest() {
            assertThat(Reference.parse("ghcr.io/o/r:v1@sha256:" + HEX).identifier())
                    .isEqualTo("sha256:" + HEX);
        }

        @Test
        void identifierIsTheTagWithoutDigest() {
            assertThat(Reference.parse("ghcr.io/o/r:v1").identifier()).isEqualTo("v1");
            assertThat(Reference.parse("ghcr.io/o/r").identifier()).isEqualTo("latest");
        }

        @Test
        void digestOnlyReferenceHasNoDefaultTag() {
            Reference ref = Reference.parse("nginx@sha256:" + HEX);

            assertThat(ref.tag()).isNull();
            assertThat(ref.identifier()).isEqualTo("sha256:" + HEX);
            assertThat(ref.repository()).isEqualTo("library/nginx");
        }

        @Test
        void sha512DigestIsAccepted() {
            String hex512 = "a".repeat(128);
            Reference ref = Reference.parse("r.io/a@sha512:" + hex512);

            assertThat(ref.digest().algorithm()).isEqualTo("sha512");
            assertThat(ref.digest().hex()).isEqualTo(hex512);
        }

        @Test
        void withTagDropsTheDigest() {
            Reference ref = Reference.parse("r.io/a:v1@sha256:" + HEX).withTag("v2");

            assertThat(ref.tag()).isEqualTo("v2");
            assertThat(ref.digest()).isNull();
            assertThat(ref.name()).isEqualTo("r.io/a");
        }

        @Test
        void withDigestDropsTheTag() {
            Reference ref = Reference.parse("r.io/a:v1").withDigest(DIGEST);

            assertThat(ref.tag()).isNull();
            assertThat(ref.digest()).isEqualTo(DIGEST);
            assertThat(ref.toString()).isEqualTo("r.io/a@sha256:" + HEX);
        }

        @Test
        void withRepositoryKeepsRegistryTagAndDigest() {
            Reference ref = Reference.parse("r.io/a:v1@sha256:" + HEX).withRepository("b/c");

            assertThat(ref.registry()).isEqualTo("r.io");
            assertThat(ref.repository()).isEqualTo("b/c");
            assertThat(ref.tag()).isEqualTo("v1");
            assertThat(ref.digest()).isEqualTo(DIGEST);
        }

        @Test
        void referenceWithoutTagOrDigestCannotBeConstructed() {
            assertThatThrownBy(() -> new Reference("r.io", "a", null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tag or a digest");
        }

        @Test
        void registryAndRepositoryAreRequired() {
            assertThatThrownBy(() -> new Reference(null, "a", "t", null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new Reference("r.io", null, "t", null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Formatting {

        @Test
        void toStringIsFullyQualified() {
            assertThat(Reference.parse("nginx")).hasToString("docker.io/library/nginx:latest");
            assertThat(Reference.parse("localhost:5000/a/b@sha256:" + HEX))
                    .hasToString("localhost:5000/a/b@sha256:" + HEX);
            assertThat(Reference.parse("r.io/a:v1@sha256:" + HEX)).hasToString("r.io/a:v1@sha256:" + HEX);
        }

        @Test
        void nameHasNeitherTagNorDigest() {
            assertThat(Reference.parse("r.io/a/b:v1@sha256:" + HEX).name()).isEqualTo("r.io/a/b");
        }

        @Test
        void parsingToStringGivesAnEqualReference() {
            for (String input : new String[] {
                "nginx",
                "user/app:v1",
                "localhost:5000/a",
                "[::1]:5000/a:t",
                "127.0.0.1:5000/x@sha256:" + HEX,
                "r.io/a/b/c:v1@sha256:" + HEX
            }) {
                Reference ref = Reference.parse(input);
                assertThat(Reference.parse(ref.toString())).as(input).isEqualTo(ref);
            }
        }

        @Test
        void invalidReferenceMessageQuotesTheInput() {
            InvalidReferenceException e = new InvalidReferenceException("x y", "has a space");

            assertThat(e).hasMessage("invalid reference \"x y\": has a space");
            assertThat(e).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void digestOfAnArbitraryPayloadCanBeUsedInAReference() {
            Digest d = Digest.sha256("payload".getBytes(StandardCharsets.UTF_8));

            assertThat(Reference.parse("r.io/a@" + d).digest()).isEqualTo(d);
        }
    }
}
