package dev.ferry.common.layout;

import static dev.ferry.common.layout.Await.failure;
import static dev.ferry.common.layout.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.layout.TestImages.Image;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.Platform;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Manifests and tags in an OCI layout directory. */
@ExtendWith(VertxExtension.class)
class OciLayoutStoreTest {

    private static final String REPO = "ignored/by-layouts";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path dir;
    private OciLayoutStore store;
    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.dir = tmp.resolve("layout");
        this.store = new OciLayoutStore(vertx, dir);
    }

    @Test
    void anImageRoundTripsByTagAndByDigestAndTheLayoutIsValid() throws IOException {
        Image image = TestImages.image(1);
        push(image, "v1");

        Manifest byTag = result(store.getManifest(REPO, "v1"));
        Manifest byDigest =
                result(store.getManifest(REPO, image.manifest().digest().toString()));

        assertThat(byTag.raw()).isEqualTo(image.manifest().raw());
        assertThat(byTag.digest()).isEqualTo(image.manifest().digest());
        assertThat(byDigest.raw()).isEqualTo(image.manifest().raw());
        assertThat(byDigest).isInstanceOf(ImageManifest.class);
        assertThat(((ImageManifest) byTag).blobs()).isEqualTo(image.manifest().blobs());
        assertThat(result(store.listTags(REPO))).containsExactly("v1");
        assertThat(result(store.headManifest(REPO, "v1")))
                .contains(image.manifest().descriptor());
        for (Descriptor blob : image.manifest().blobs()) {
            assertThat(result(store.hasBlob(REPO, blob.digest()))).isTrue();
        }

        assertThat(JSON.readTree(dir.resolve("oci-layout").toFile())
                        .path("imageLayoutVersion")
                        .asText())
                .isEqualTo("1.0.0");
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode entry = index.path("manifests").get(0);
        assertThat(entry.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(entry.path("digest").asText())
                .isEqualTo(image.manifest().digest().toString());
        assertThat(entry.path("size").asLong()).isEqualTo(image.manifest().raw().length);
        assertThat(entry.path("annotations")
                        .path("org.opencontainers.image.ref.name")
                        .asText())
                .isEqualTo("v1");
        assertThat(Files.readAllBytes(blobFile(image.manifest().digest())))
                .isEqualTo(image.manifest().raw());
    }

    @Test
    void retaggingReplacesTheIndexEntryInsteadOfAddingOne() throws IOException {
        Image first = TestImages.image(1);
        Image second = TestImages.image(2);
        push(first, "v1");
        result(store.putManifest(REPO, "latest", first.manifest()));
        push(second, "v1");

        assertThat(result(store.listTags(REPO))).containsExactly("v1", "latest");
        assertThat(result(store.getManifest(REPO, "v1")).digest())
                .isEqualTo(second.manifest().digest());
        assertThat(result(store.getManifest(REPO, "latest")).digest())
                .isEqualTo(first.manifest().digest());
        assertThat(JSON.readTree(dir.resolve("index.json").toFile()).path("manifests"))
                .hasSize(2);
    }

    @Test
    void anUnknownTagFailsWith404ManifestUnknownAndHeadSaysAbsent() {
        push(TestImages.image(1), "v1");

        Throwable error = failure(store.getManifest(REPO, "nope"));

        assertThat(error).isInstanceOf(RegistryException.class);
        RegistryException re = (RegistryException) error;
        assertThat(re.status()).isEqualTo(404);
        assertThat(re.hasCode(ErrorCode.MANIFEST_UNKNOWN)).isTrue();
        assertThat(re.getMessage()).contains("nope").contains(dir.toString());
        assertThat(result(store.headManifest(REPO, "nope"))).isEmpty();
        Digest unknown = Digest.sha256("not stored".getBytes(StandardCharsets.UTF_8));
        assertThat(((RegistryException) failure(store.getManifest(REPO, unknown.toString()))).status())
                .isEqualTo(404);
    }

    @Test
    void aMissingDirectoryReadsAs404NamingTheDirectory() {
        Throwable manifest = failure(store.getManifest(REPO, "v1"));
        Throwable tags = failure(store.listTags(REPO));

        assertThat(manifest).isInstanceOf(RegistryException.class).hasMessageContaining(dir.toString());
        assertThat(((RegistryException) manifest).status()).isEqualTo(404);
        assertThat(tags).isInstanceOf(RegistryException.class).hasMessageContaining(dir.toString());
        assertThat(((RegistryException) tags).status()).isEqualTo(404);
        assertThat(result(store.headManifest(REPO, "v1"))).isEmpty();
        assertThat(Files.exists(dir)).as("reads must not create the layout").isFalse();
    }

    @Test
    void anIndexWithTwoChildrenIsStoredAsChildrenByDigestAndTheIndexByTag() throws IOException {
        Image amd64 = TestImages.image(1);
        Image arm64 = TestImages.image(2);
        ImageIndex index = TestImages.index(
                List.of(amd64.manifest(), arm64.manifest()),
                List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")));
        for (Image child : List.of(amd64, arm64)) {
            pushBlobs(child);
            result(store.putManifest(REPO, child.manifest().digest().toString(), child.manifest()));
        }
        result(store.putManifest(REPO, "multi", index));

        Manifest read = result(store.getManifest(REPO, "multi"));
        assertThat(read).isInstanceOf(ImageIndex.class);
        assertThat(read.raw()).isEqualTo(index.raw());
        List<Descriptor> children = ((ImageIndex) read).manifests();
        assertThat(children)
                .extracting(Descriptor::digest)
                .containsExactly(amd64.manifest().digest(), arm64.manifest().digest());
        for (Descriptor child : children) {
            Manifest manifest = result(store.getManifest(REPO, child.digest().toString()));
            assertThat(manifest).isInstanceOf(ImageManifest.class);
            assertThat(manifest.digest()).isEqualTo(child.digest());
        }
        assertThat(result(store.listTags(REPO))).containsExactly("multi");
        assertThat(JSON.readTree(dir.resolve("index.json").toFile()).path("manifests"))
                .as("children put by digest get no index.json entry")
                .hasSize(1);
    }

    @Test
    void concurrentTagUpdatesAreAllKept() {
        Image image = TestImages.image(1);
        push(image, "v0");
        List<Future<Void>> puts = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            puts.add(store.putManifest(REPO, "v" + i, image.manifest()));
        }
        result(Future.all(puts));

        List<String> tags = result(store.listTags(REPO));
        assertThat(tags).hasSize(31).doesNotHaveDuplicates();
        for (int i = 0; i <= 30; i++) {
            assertThat(tags).contains("v" + i);
        }
    }

    @Test
    void entriesAndAnnotationsWrittenByOtherToolsSurviveAnUpdate() throws IOException {
        Image image = TestImages.image(1);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        String foreign = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + Digest.sha256(new byte[] {1}) + "\",\"size\":1,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"other\",\"io.example.note\":\"keep me\"},"
                + "\"io.example.extra\":true}";
        Files.writeString(
                dir.resolve("index.json"),
                "{\"schemaVersion\":2,"
                        + "\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                        + "\"annotations\":{\"io.example.top\":\"yes\"},\"manifests\":[" + foreign + "]}");

        push(image, "v1");

        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        assertThat(index.path("annotations").path("io.example.top").asText()).isEqualTo("yes");
        assertThat(index.path("manifests")).hasSize(2);
        assertThat(index.path("manifests").get(0)).isEqualTo(JSON.readTree(foreign));
        assertThat(result(store.listTags(REPO))).containsExactly("other", "v1");
    }

    @Test
    void aManifestBlobThatNoLongerMatchesItsDigestFailsToRead() throws IOException {
        Image image = TestImages.image(1);
        push(image, "v1");
        Path blob = blobFile(image.manifest().digest());
        byte[] tampered = image.manifest().raw().clone();
        tampered[tampered.length - 2] = ' ';
        Files.write(blob, tampered);

        Throwable error = failure(store.getManifest(REPO, "v1"));

        assertThat(error)
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(image.manifest().digest().toString());
    }

    @Test
    void puttingAManifestUnderTheWrongDigestIsRefusedAndWritesNothing() {
        Image image = TestImages.image(1);
        Digest other = Digest.sha256(new byte[] {42});

        Throwable error = failure(store.putManifest(REPO, other.toString(), image.manifest()));

        assertThat(error).isInstanceOf(DigestMismatchException.class);
        assertThat(Files.exists(blobFile(other))).isFalse();
        assertThat(Files.exists(blobFile(image.manifest().digest()))).isFalse();
    }

    @Test
    void describeNamesTheDirectory() {
        assertThat(store.describe()).isEqualTo("OCI layout " + dir);
    }

    private void push(Image image, String tag) {
        pushBlobs(image);
        result(store.putManifest(REPO, tag, image.manifest()));
    }

    private void pushBlobs(Image image) {
        result(store.putBlob(REPO, image.manifest().config(), ChunkedReadStream.of(vertx, image.config())));
        result(store.putBlob(REPO, image.manifest().layers().get(0), ChunkedReadStream.of(vertx, image.layer())));
    }

    private Path blobFile(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }
}
