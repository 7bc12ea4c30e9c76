package dev.ferry.common.mediatype;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "application/vnd.oci.image.manifest.v1+json                     | application/vnd.oci.image.manifest.v1+json",
                "application/vnd.oci.image.manifest.v1+json; charset=utf-8      | application/vnd.oci.image.manifest.v1+json",
                "Application/VND.Docker.Distribution.Manifest.V2+JSON           | application/vnd.docker.distribution.manifest.v2+json",
                "'  application/json ;charset=UTF-8'                            | application/json",
                "'application/vnd.oci.image.index.v1+json;a=b;c=d'              | application/vnd.oci.image.index.v1+json",
            })
    void normalizeStripsParametersWhitespaceAndCase(String contentType, String expected) {
        assertThat(MediaTypes.normalize(contentType)).isEqualTo(expected);
    }

    @Test
    void normalizeOfNullIsNull() {
        assertThat(MediaTypes.normalize(null)).isNull();
    }

    @Test
    void normalizeOfOnlyParametersIsEmpty() {
        assertThat(MediaTypes.normalize("; charset=utf-8")).isEmpty();
    }

    @Test
    void normalizedHeaderIsRecognisedAsAManifestType() {
        String header = "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8";

        assertThat(MediaTypes.isIndex(header))
                .as("raw header is not compared loosely")
                .isFalse();
        assertThat(MediaTypes.isIndex(MediaTypes.normalize(header))).isTrue();
    }

    @Test
    void indexesAreOciIndexAndDockerManifestList() {
        assertThat(MediaTypes.isIndex("application/vnd.oci.image.index.v1+json"))
                .isTrue();
        assertThat(MediaTypes.isIndex("application/vnd.docker.distribution.manifest.list.v2+json"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.oci.image.config.v1+json",
                "application/json",
                ""
            })
    void otherTypesAreNotIndexes(String type) {
        assertThat(MediaTypes.isIndex(type)).isFalse();
    }

    @Test
    void imageManifestsAreOciManifestAndDockerSchema2() {
        assertThat(MediaTypes.isImageManifest("application/vnd.oci.image.manifest.v1+json"))
                .isTrue();
        assertThat(MediaTypes.isImageManifest("application/vnd.docker.distribution.manifest.v2+json"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/vnd.oci.image.index.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.docker.distribution.manifest.v1+prettyjws",
                "application/vnd.docker.distribution.manifest.v1+json",
                "application/vnd.oci.image.layer.v1.tar+gzip"
            })
    void otherTypesAreNotImageManifests(String type) {
        assertThat(MediaTypes.isImageManifest(type)).isFalse();
    }

    @Test
    void nullIsNeitherIndexNorManifest() {
        assertThat(MediaTypes.isIndex(null)).isFalse();
        assertThat(MediaTypes.isImageManifest(null)).isFalse();
        assertThat(MediaTypes.isManifest(null)).isFalse();
        assertThat(MediaTypes.isForeignLayer(null)).isFalse();
        assertThat(MediaTypes.isSchema1(null)).isFalse();
    }

    @Test
    void manifestCoversIndexesAndImageManifestsOnly() {
        assertThat(MediaTypes.isManifest(MediaTypes.OCI_INDEX)).isTrue();
        assertThat(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST)).isTrue();
        assertThat(MediaTypes.isManifest(MediaTypes.OCI_CONFIG)).isFalse();
        assertThat(MediaTypes.isManifest(MediaTypes.DOCKER_SCHEMA1_SIGNED)).isFalse();
    }

    @Test
    void schema1IsBothSignedAndUnsigned() {
        assertThat(MediaTypes.isSchema1("application/vnd.docker.distribution.manifest.v1+prettyjws"))
                .isTrue();
        assertThat(MediaTypes.isSchema1("application/vnd.docker.distribution.manifest.v1+json"))
                .isTrue();
        assertThat(MediaTypes.isSchema1("application/vnd.docker.distribution.manifest.v2+json"))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                "application/vnd.oci.image.layer.nondistributable.v1.tar"
            })
    void foreignAndNonDistributableLayersAreForeign(String type) {
        assertThat(MediaTypes.isForeignLayer(type)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "application/vnd.oci.image.layer.v1.tar",
                "application/vnd.oci.image.layer.v1.tar+gzip",
                "application/vnd.oci.image.layer.v1.tar+zstd",
                "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd.unknown"
            })
    void ordinaryLayersAreNotForeign(String type) {
        assertThat(MediaTypes.isForeignLayer(type)).isFalse();
    }

    @Test
    void acceptHeaderAsksForEveryManifestTypeIndexesFirst() {
        String accept = MediaTypes.ACCEPT_HEADER;

        assertThat(accept)
                .contains(
                        "application/vnd.oci.image.index.v1+json",
                        "application/vnd.docker.distribution.manifest.list.v2+json",
                        "application/vnd.oci.image.manifest.v1+json",
                        "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(accept.indexOf("image.index")).isLessThan(accept.indexOf("image.manifest"));
        assertThat(accept.indexOf("manifest.list")).isLessThan(accept.indexOf("manifest.v2"));
        assertThat(accept).doesNotContain("v1+prettyjws");
        for (String type : accept.split(",\\s*")) {
            assertThat(MediaTypes.isManifest(type)).as(type).isTrue();
        }
    }
}
