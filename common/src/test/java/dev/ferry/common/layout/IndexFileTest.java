package dev.ferry.common.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.mediatype.MediaTypes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The index.json model: tags, lookups and rewrites. */
class IndexFileTest {

    private static final Descriptor A = descriptor("a");
    private static final Descriptor B = descriptor("b");

    @Test
    void taggingAgainReplacesTheFirstEntryInPlaceAndDropsDuplicates() {
        String withDuplicates = "{\"schemaVersion\":2,\"manifests\":[" + entry(A, "v1") + "," + entry(A, "latest") + ","
                + entry(A, "v1") + "]}";
        IndexFile index = IndexFile.parse(withDuplicates.getBytes(StandardCharsets.UTF_8), "test");

        index.tag("v1", B);

        assertThat(index.tags()).containsExactly("v1", "latest");
        assertThat(index.findTag("v1")).map(Descriptor::digest).contains(B.digest());
        IndexFile reread = IndexFile.parse(index.toBytes(), "test");
        assertThat(reread.tags()).containsExactly("v1", "latest");
        assertThat(reread.findTag("v1").orElseThrow().annotations()).containsEntry(IndexFile.REF_NAME, "v1");
    }

    @Test
    void untaggedEntriesAreFoundByDigestButAreNotTags() {
        String json = "{\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + A.digest()
                + "\",\"size\":1}," + entry(B, "v2") + "]}";
        IndexFile index = IndexFile.parse(json.getBytes(StandardCharsets.UTF_8), "test");

        assertThat(index.tags()).containsExactly("v2");
        assertThat(index.findDigest(A.digest())).map(Descriptor::size).contains(1L);
        assertThat(index.findTag("v1")).isEmpty();
    }

    @Test
    void anEmptyIndexIsAnOciImageIndex() {
        IndexFile index = IndexFile.parse(IndexFile.empty().toBytes(), "test");

        assertThat(index.tags()).isEmpty();
        assertThat(new String(IndexFile.empty().toBytes(), StandardCharsets.UTF_8))
                .contains("\"schemaVersion\":2")
                .contains(MediaTypes.OCI_INDEX);
    }

    @Test
    void malformedFilesAreRefusedNamingTheFile() {
        assertThatThrownBy(() -> IndexFile.parse("[]".getBytes(StandardCharsets.UTF_8), "/x/index.json"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("/x/index.json");
        assertThatThrownBy(() -> IndexFile.parse("{\"manifests\":{}}".getBytes(StandardCharsets.UTF_8), "f"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("not an array");
        assertThatThrownBy(() -> IndexFile.parse("{".getBytes(StandardCharsets.UTF_8), "f"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("not valid JSON");
    }

    private static Descriptor descriptor(String seed) {
        byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
        return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(bytes), bytes.length);
    }

    private static String entry(Descriptor d, String tag) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + ",\"annotations\":{\"" + IndexFile.REF_NAME + "\":\"" + tag + "\"}}";
    }
}
