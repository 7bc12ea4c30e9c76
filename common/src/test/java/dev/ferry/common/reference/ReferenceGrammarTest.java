package dev.ferry.common.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven cases of the reference grammar: what parses into which parts, and what is refused. */
class ReferenceGrammarTest {

    private static final String H256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String H512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    private static final String TAG_128 = "t" + "a".repeat(127);

    private static Arguments valid(String input, String registry, String repository, String tag, String digest) {
        return Arguments.of(input, registry, repository, tag, digest);
    }

    static Stream<Arguments> validReferences() {
        return Stream.of(
                valid("nginx", "docker.io", "library/nginx", "latest", null),
                valid("nginx:1.25", "docker.io", "library/nginx", "1.25", null),
                valid("x", "docker.io", "library/x", "latest", null),
                valid("0/1", "docker.io", "0/1", "latest", null),
                valid("user/app", "docker.io", "user/app", "latest", null),
                valid("user/app:v1.0-rc_1", "docker.io", "user/app", "v1.0-rc_1", null),
                valid("docker.io/user/app:v1", "docker.io", "user/app", "v1", null),
                valid("docker.io/nginx", "docker.io", "library/nginx", "latest", null),
                valid("library/nginx", "docker.io", "library/nginx", "latest", null),
                valid("a/b/c/d/e", "docker.io", "a/b/c/d/e", "latest", null),
                valid("my-org/my_app.name", "docker.io", "my-org/my_app.name", "latest", null),
                valid("a__b/c---d", "docker.io", "a__b/c---d", "latest", null),
                valid("a/b:UPPER_case.Tag-1", "docker.io", "a/b", "UPPER_case.Tag-1", null),
                valid("a:_underscore", "docker.io", "library/a", "_underscore", null),
                valid("a:9", "docker.io", "library/a", "9", null),
                valid("localhost/a", "localhost", "a", "latest", null),
                valid("localhost:5000/a", "localhost:5000", "a", "latest", null),
                valid("localhost:5000/a/b:t", "localhost:5000", "a/b", "t", null),
                valid("registry.example.com/a/b:v1", "registry.example.com", "a/b", "v1", null),
                valid("r-1.example.com:443/a:V1", "r-1.example.com:443", "a", "V1", null),
                valid("gcr.io/project-id/sub/image:tag", "gcr.io", "project-id/sub/image", "tag", null),
                valid("quay.io/nginx", "quay.io", "nginx", "latest", null),
                valid("127.0.0.1/x", "127.0.0.1", "x", "latest", null),
                valid("127.0.0.1:5000/x@sha256:" + H256, "127.0.0.1:5000", "x", null, "sha256:" + H256),
                valid("[::1]:5000/a", "[::1]:5000", "a", "latest", null),
                valid("[2001:db8::1]/a:t", "[2001:db8::1]", "a", "t", null),
                valid("host.example:0/a", "host.example:0", "a", "latest", null),
                valid("host.example:65535/a", "host.example:65535", "a", "latest", null),
                valid("r.io/a:v1@sha256:" + H256, "r.io", "a", "v1", "sha256:" + H256),
                valid("r.io/a@sha512:" + H512, "r.io", "a", null, "sha512:" + H512),
                valid("nginx@sha256:" + H256, "docker.io", "library/nginx", null, "sha256:" + H256),
                valid("user/app:v2@sha256:" + H256, "docker.io", "user/app", "v2", "sha256:" + H256),
                valid("r.io/a:" + TAG_128, "r.io", "a", TAG_128, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validReferences")
    void parsesValidReferenceIntoItsParts(String input, String registry, String repository, String tag, String digest) {
        Reference ref = Reference.parse(input);

        assertThat(ref.registry()).as("registry").isEqualTo(registry);
        assertThat(ref.repository()).as("repository").isEqualTo(repository);
        assertThat(ref.tag()).as("tag").isEqualTo(tag);
        assertThat(ref.digest() == null ? null : ref.digest().toString())
                .as("digest")
                .isEqualTo(digest);
        assertThat(Reference.parse(ref.toString())).as("round trip").isEqualTo(ref);
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of(" nginx", "whitespace"),
                Arguments.of("nginx ", "whitespace"),
                Arguments.of("nginx\n", "whitespace"),
                Arguments.of("ngi nx", "path component"),
                Arguments.of("a\tb/c", "path component"),
                Arguments.of("Nginx", "lowercase"),
                Arguments.of("user/App", "lowercase"),
                Arguments.of("r.io/A/b:v1", "lowercase"),
                Arguments.of("a//b", "empty path component"),
                Arguments.of("a/", "empty path component"),
                Arguments.of("/a", "empty path component"),
                Arguments.of("r.io/a//b", "empty path component"),
                Arguments.of("r.io/", "repository name is empty"),
                Arguments.of("a-/b", "path component"),
                Arguments.of("a/_b", "path component"),
                Arguments.of("a/b.", "path component"),
                Arguments.of("a/b..c", "path component"),
                Arguments.of("a/b___c", "path component"),
                Arguments.of("a/b@c", "digest"),
                Arguments.of("a:-x", "tag"),
                Arguments.of("a:.x", "tag"),
                Arguments.of("a:", "tag"),
                Arguments.of("a:t+g", "tag"),
                Arguments.of("a:" + "t".repeat(129), "tag"),
                Arguments.of("host:99999/a", "port"),
                Arguments.of("host:65536/a", "port"),
                Arguments.of("host:abc/a", "port"),
                Arguments.of("host:/a", "port"),
                Arguments.of("host:123456/a", "port"),
                Arguments.of("[::1]:70000/a", "port"),
                Arguments.of("[::1/a", "ipv6"),
                Arguments.of("[zz::1]:5000/a", "ipv6"),
                Arguments.of("-bad.example.com/a", "registry host"),
                Arguments.of("bad-.example.com/a", "registry host"),
                Arguments.of("bad_host.com/a", "registry host"),
                Arguments.of("a..b/c", "registry host"),
                Arguments.of("a@sha256:xyz", "digest"),
                Arguments.of("a@sha256:" + H256.toUpperCase(), "digest"),
                Arguments.of("a@sha256:" + H256.substring(1), "digest"),
                Arguments.of("a@sha256:" + H256 + "0", "digest"),
                Arguments.of("a@md5:d41d8cd98f00b204e9800998ecf8427e", "md5"),
                Arguments.of("a@md5:d41d8cd98f00b204e9800998ecf8427e", "digest algorithm"),
                Arguments.of("a@", "digest"),
                Arguments.of("a@sha256", "digest"),
                Arguments.of("a@:" + H256, "digest"),
                Arguments.of("a/" + "b".repeat(244), "255"),
                Arguments.of("r.io/" + "x/".repeat(130) + "y", "longer than 255"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("invalidReferences")
    void rejectsInvalidReferenceQuotingInputAndNamingTheProblem(String input, String problem) {
        InvalidReferenceException e =
                catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(input));

        assertThat(e).as("expected %s to be refused", input).isNotNull();
        assertThat(e.getMessage()).startsWith("invalid reference \"" + input + "\": ");
        assertThat(e.getMessage()).containsIgnoringCase(problem);
    }

    @Test
    void rejectsNullAsEmpty() {
        InvalidReferenceException e =
                catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(null));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("empty");
    }

    @Test
    void acceptsNameOfExactly255CharactersButNot256() {
        // docker.io/ is 10 characters of the name, so the repository may have 245.
        String repo245 = "a/" + "b".repeat(243);
        String repo246 = "a/" + "b".repeat(244);

        Reference ok = Reference.parse(repo245);
        assertThat(ok.name()).hasSize(255);

        InvalidReferenceException e =
                catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(repo246));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("longer than 255");
    }

    @Test
    void nameLengthLimitIgnoresTagAndDigest() {
        String repo245 = "a/" + "b".repeat(243);

        Reference ref = Reference.parse(repo245 + ":" + TAG_128 + "@sha512:" + H512);

        assertThat(ref.tag()).isEqualTo(TAG_128);
        assertThat(ref.toString().length()).isGreaterThan(255);
    }

    @Test
    void problemWithTheTagNamesTheTag() {
        InvalidReferenceException e =
                catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse("r.io/a:-bad"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("\"-bad\"");
    }

    @Test
    void problemWithAComponentNamesTheComponent() {
        InvalidReferenceException e =
                catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse("r.io/ok/BAD/ok"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("\"BAD\"");
    }
}
