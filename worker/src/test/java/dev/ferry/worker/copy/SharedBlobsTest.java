package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Copies in flight at once that need the same blobs: each blob moves once, and a failure poisons nothing. */
@ExtendWith(VertxExtension.class)
class SharedBlobsTest {

    private Vertx vertx;
    private InMemoryStore source;
    private InMemoryStore target;
    private FakeImages images;
    private List<byte[]> shared;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        source = new InMemoryStore(vertx);
        target = new InMemoryStore(vertx);
        images = new FakeImages(source);
        shared = List.of(images.blob(40_000), images.blob(30_000), images.blob(20_000));
    }

    /** Tags v1..vN of "app", each the shared layers plus one of its own. */
    private List<ImageManifest> tags(int n) {
        List<ImageManifest> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            List<byte[]> layers = new ArrayList<>(shared);
            layers.add(images.blob(1_000 + i));
            ImageManifest m = images.image("amd64", layers);
            source.addManifest("app", "v" + i, m);
            out.add(m);
        }
        return out;
    }

    private List<Future<CopyResult>> copyAll(ImageCopier copier, int n, String... targetRepos) {
        List<Future<CopyResult>> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String repo = targetRepos[(i - 1) % targetRepos.length];
            all.add(copier.copy(
                    new ImageLocation(source, "src", "app", "v" + i),
                    new ImageLocation(target, "dst", repo, "v" + i),
                    new CopyProgress()));
        }
        return all;
    }

    private long uploadsOf(byte[] blob) {
        String digest = dev.ferry.common.digest.Digest.sha256(blob).toString();
        return target.writes.stream().filter(w -> w.equals("blob " + digest)).count();
    }

    @Test
    void tagsCopiedTogetherIntoOneRepositoryUploadEachSharedBlobOnce() throws Exception {
        List<ImageManifest> images = tags(6);
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(100))
                .build();

        List<Future<CopyResult>> all = copyAll(copier, 6, "mirror/app");
        Await.result(Future.all(all));

        for (byte[] layer : shared) {
            assertThat(uploadsOf(layer)).isEqualTo(1);
        }
        assertThat(all)
                .allSatisfy(
                        f -> assertThat(f.result().blobsCopied() + f.result().blobsSkipped())
                                .isEqualTo(5));
        assertThat(all.stream().mapToInt(f -> f.result().blobsCopied()).sum())
                .as("3 shared + 6 own layers + 6 configs")
                .isEqualTo(15);
        for (int i = 1; i <= 6; i++) {
            assertThat(target.manifests.get("mirror/app|v" + i).digest())
                    .isEqualTo(images.get(i - 1).digest());
        }
    }

    @Test
    void aBlobWrittenOrSeenLatelyIsNotAskedAboutAgain() throws Exception {
        tags(2);
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(100))
                .build();
        Await.result(copyAll(copier, 1, "mirror/app").get(0));
        int headsFirst = target.blobHeads.get();

        Await.result(copier.copy(
                new ImageLocation(source, "src", "app", "v2"),
                new ImageLocation(target, "dst", "mirror/app", "v2"),
                new CopyProgress()));

        assertThat(headsFirst).isEqualTo(5);
        assertThat(target.blobHeads.get() - headsFirst)
                .as("only v2's own layer and config")
                .isEqualTo(2);
    }

    @Test
    void anotherRepositoryOfTheRegistryMountsWhatIsBeingUploaded() throws Exception {
        tags(4);
        target.supportsMount = true;
        target.headAlwaysMisses = true; // blobs are per repository, as on most registries
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(100))
                .build();

        List<Future<CopyResult>> all = copyAll(copier, 4, "team-a/app", "team-b/app");
        Await.result(Future.all(all));

        for (byte[] layer : shared) {
            assertThat(uploadsOf(layer)).isEqualTo(1);
        }
        assertThat(all.stream().mapToInt(f -> f.result().blobsMounted()).sum())
                .as("the shared layers, once in the " + "other repository")
                .isEqualTo(3);
    }

    @Test
    void whenTheSharedUploadFailsTheOthersUploadItThemselvesAndTheFailedTagIsNeverWritten() throws Exception {
        tags(3);
        String layer = dev.ferry.common.digest.Digest.sha256(shared.get(0)).toString();
        target.failNextUpload.add(layer);
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(100))
                .build();

        List<Future<CopyResult>> all = copyAll(copier, 3, "mirror/app");
        Await.result(Future.join(all).otherwiseEmpty());

        assertThat(all)
                .filteredOn(Future::failed)
                .singleElement()
                .satisfies(f -> assertThat(f.cause()).hasMessageContaining("HTTP 400"));
        for (int i = 1; i <= 3; i++) {
            ImageManifest m = (ImageManifest) target.manifests.get("mirror/app|v" + i);
            if (all.get(i - 1).failed()) {
                assertThat(m).as("the tag of the failed copy").isNull();
            } else {
                assertThat(Stream.concat(Stream.of(m.config()), m.layers().stream())
                                .map(Descriptor::digest))
                        .allSatisfy(d -> assertThat(target.blobs).containsKey(d.toString()));
            }
        }
        assertThat(target.blobs).containsKey(layer);
    }
}
