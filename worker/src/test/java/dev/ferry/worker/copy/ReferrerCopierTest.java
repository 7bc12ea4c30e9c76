package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.mediatype.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferrerCopierTest {

    private static Descriptor referrer(String seed, String artifactType) {
        return new Descriptor(
                MediaTypes.OCI_MANIFEST,
                Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)),
                100,
                null,
                null,
                null,
                artifactType);
    }

    @Test
    void theTagSchemaIndexKeepsWhatTheTargetListedAndAddsEachMissingReferrerOnce() {
        Descriptor theirs = referrer("theirs", "application/vnd.example+json");
        Descriptor sbom = referrer("sbom", "application/spdx+json");
        Descriptor sig = referrer("sig", "application/vnd.dev.cosign.artifact.sig.v1+json");

        ImageIndex index = (ImageIndex) ReferrerCopier.index(List.of(theirs, sbom), List.of(sbom, sig));

        assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.manifests())
                .extracting(Descriptor::digest)
                .containsExactly(theirs.digest(), sbom.digest(), sig.digest());
        assertThat(index.manifests().get(2).artifactType()).isEqualTo(sig.artifactType());
    }
}
