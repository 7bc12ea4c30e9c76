package dev.ferry.common.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Any bytes a registry answers as a manifest, with any of the Content-Types it may send, either
 * parse into a manifest or index or are refused with {@link InvalidManifestException}: never
 * another exception, which would fail a job with an unclear error or worse.
 */
class ManifestParserFuzzTest {

    private static final String[] CONTENT_TYPES = {
        null,
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/json"
    };

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] raw) {
        for (String contentType : CONTENT_TYPES) {
            try {
                Manifest m = ManifestParser.parse(Arrays.copyOf(raw, raw.length), contentType);
                assertThat(m).isNotNull();
            } catch (InvalidManifestException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }
}
