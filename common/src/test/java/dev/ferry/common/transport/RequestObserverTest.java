package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestObserverTest {

    @ParameterizedTest
    @CsvSource({
        "/v2/, ping",
        "/v2/library/app/manifests/v1, manifest",
        "/v2/a/b/c/manifests/sha256:abc, manifest",
        "/v2/app/blobs/sha256:abc, blob",
        "/v2/app/blobs/uploads/, upload",
        "/v2/app/blobs/uploads/1234?digest=sha256:abc, upload",
        "/v2/app/tags/list?n=100, tags",
        "/v2/app/referrers/sha256:abc?artifactType=x, referrers",
        "/v2/_catalog?n=50, catalog",
        "/token, other",
    })
    void kindsComeFromTheApiPathOnly(String uri, String kind) {
        assertThat(RequestObserver.kind(uri)).isEqualTo(kind);
    }
}
