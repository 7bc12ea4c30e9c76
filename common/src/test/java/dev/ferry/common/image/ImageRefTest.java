package dev.ferry.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.common.reference.InvalidReferenceException;
import dev.ferry.common.reference.Reference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

    private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static InvalidReferenceException refused(String value) {
        InvalidReferenceException e =
                catchThrowableOfType(InvalidReferenceException.class, () -> ImageRef.parse(value));
        assertThat(e).as("expected \"%s\" to be refused", value).isNotNull();
        return e;
    }

    @Test
    void dockerTransportWithHostPortAndTag() {
        ImageRef ref = ImageRef.parse("docker://host:5000/a/b:t");

        assertThat(ref).isInstanceOfSatisfying(ImageRef.Docker.class, d -> {
            assertThat(d.reference().registry()).isEqualTo("host:5000");
            assertThat(d.reference().repository()).isEqualTo("a/b");
            assertThat(d.reference().tag()).isEqualTo("t");
            assertThat(d.reference().digest()).isNull();
        });
    }

    @Test
    void dockerTransportWithDigest() {
        ImageRef ref = ImageRef.parse("docker://registry.example.com/team/app@sha256:" + HEX);

        assertThat(ref).isInstanceOfSatisfying(ImageRef.Docker.class, d -> {
            assertThat(d.reference().registry()).isEqualTo("registry.example.com");
            assertThat(d.reference().tag()).isNull();
            assertThat(d.reference().digest()).hasToString("sha256:" + HEX);
        });
    }

    @Test
    void dockerTransportNormalisesDockerHubNames() {
        ImageRef ref = ImageRef.parse("docker://nginx");

        assertThat(ref).isEqualTo(new ImageRef.Docker(Reference.parse("docker.io/library/nginx:latest")));
        assertThat(ref).hasToString("docker://docker.io/library/nginx:latest");
    }

    @Test
    void ociLayoutWithAbsoluteDirectoryAndTag() {
        ImageRef ref = ImageRef.parse("oci:/tmp/dir:tag");

        assertThat(ref).isEqualTo(new ImageRef.Layout(Path.of("/tmp/dir"), "tag"));
    }

    @Test
    void ociLayoutWithoutTagDefaultsToLatest() {
        ImageRef ref = ImageRef.parse("oci:dir");

        assertThat(ref).isInstanceOfSatisfying(ImageRef.Layout.class, l -> {
            assertThat(l.directory()).isEqualTo(Path.of("dir"));
            assertThat(l.reference()).isEqualTo("latest");
        });
    }

    @Test
    void ociLayoutWithDigest() {
        ImageRef ref = ImageRef.parse("oci:/d@sha256:" + HEX);

        assertThat(ref).isEqualTo(new ImageRef.Layout(Path.of("/d"), "sha256:" + HEX));
    }

    @Test
    void ociLayoutDirectoryMayContainDotsAndDashes() {
        ImageRef ref = ImageRef.parse("oci:./out/my-image.v1:1.0.0-rc.1");

        assertThat(ref).isEqualTo(new ImageRef.Layout(Path.of("./out/my-image.v1"), "1.0.0-rc.1"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "docker://host:5000/a/b:t",
                "docker://docker.io/library/nginx:latest",
                "oci:/tmp/dir:tag",
                "oci:/d@sha256:" + HEX,
                "oci:relative/dir:v2"
            })
    void toStringParsesBackToTheSameRef(String value) {
        ImageRef ref = ImageRef.parse(value);

        assertThat(ImageRef.parse(ref.toString())).isEqualTo(ref);
        assertThat(ref.toString()).isEqualTo(value);
    }

    @Test
    void missingTransportIsRefusedWithAHint() {
        InvalidReferenceException e = refused("host/a:b");

        assertThat(e.getMessage())
                .contains("\"host/a:b\"")
                .contains("no transport")
                .contains("docker://")
                .contains("oci:");
    }

    @Test
    void registryHostWithoutTransportIsRefusedAsMissingTransport() {
        assertThat(refused("registry.example.com:5000/a:b").getMessage()).contains("no transport");
    }

    @Test
    void plainNameWithoutTransportIsRefused() {
        assertThat(refused("nginx").getMessage()).contains("no transport");
    }

    @ParameterizedTest
    @CsvSource({"ftp:x, ftp:", "http://host/a, http:", "docker:nginx, docker:", "OCI:dir, OCI:"})
    void unknownTransportIsNamed(String value, String transport) {
        InvalidReferenceException e = refused(value);

        assertThat(e.getMessage())
                .contains("unknown transport \"" + transport + "\"")
                .contains("docker://");
    }

    @Test
    void emptyOciDirectoryIsRefused() {
        InvalidReferenceException e = refused("oci:");

        assertThat(e.getMessage()).contains("\"oci:\"").contains("directory is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:dir:-bad", "oci:dir:.bad", "oci:dir:", "oci:dir:a+b", "oci::tag"})
    void badOciTagIsRefused(String value) {
        InvalidReferenceException e = refused(value);

        assertThat(e.getMessage()).contains("\"" + value + "\"").contains("tag");
    }

    @Test
    void ociTagLongerThan128IsRefused() {
        assertThat(refused("oci:dir:" + "a".repeat(129)).getMessage()).contains("tag");
        assertThat(ImageRef.parse("oci:dir:" + "a".repeat(128))).isInstanceOf(ImageRef.Layout.class);
    }

    @Test
    void badOciDigestIsRefusedAsADigestProblem() {
        InvalidReferenceException e = refused("oci:/d@sha256:xyz");

        assertThat(e.getMessage()).contains("\"oci:/d@sha256:xyz\"").contains("digest");
    }

    @Test
    void badDockerTagIsRefusedNamingTheTag() {
        InvalidReferenceException e = refused("docker://host:5000/a:-x");

        assertThat(e.getMessage()).contains("tag").contains("\"-x\"");
    }

    @Test
    void badDockerRepositoryIsRefused() {
        assertThat(refused("docker://host:5000/Upper/case").getMessage()).contains("lowercase");
    }

    @Test
    void emptyDockerReferenceIsRefused() {
        assertThat(refused("docker://").getMessage()).contains("empty");
    }
}
