package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Platform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ImageCopierTest {

    private Vertx vertx;
    private InMemoryStore source;
    private InMemoryStore target;
    private FakeImages images;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        source = new InMemoryStore(vertx);
        target = new InMemoryStore(vertx);
        images = new FakeImages(source);
    }

    private CopyResult copy(ImageLocation from, ImageLocation to, CopyOptions options) throws Exception {
        return await(
                ImageCopier.builder(vertx, options, new KnownBlobs(100)).build().copy(from, to, new CopyProgress()));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return Await.result(f);
    }

    private ImageLocation src(String repo, String ref) {
        return new ImageLocation(source, "src-registry", repo, ref);
    }

    private ImageLocation dst(String repo, String ref) {
        return new ImageLocation(target, "dst-registry", repo, ref);
    }

    @Test
    void indexIsCopiedWithEveryBlobAndChildBeforeTheTag() throws Exception {
        ImageManifest amd = images.image("amd64", 3000, 5000);
        ImageManifest arm = images.image("arm64", 4000);
        ImageIndex index = images.index(amd, arm);
        source.addManifest("app", "v1", amd);
        source.addManifest("app", "v1", arm);
        source.addManifest("app", "v1", index);

        CopyResult result = copy(src("app", "v1"), dst("mirror/app", "v1"), CopyOptions.defaults());

        assertThat(result.targetDigest()).isEqualTo(index.digest());
        assertThat(result.blobsCopied()).isEqualTo(5);
        assertThat(target.manifests.get("mirror/app|v1").raw()).isEqualTo(index.raw());
        List<String> writes = target.writes;
        assertThat(writes.get(writes.size() - 1)).isEqualTo("manifest mirror/app:v1");
        int firstManifest = writes.indexOf("manifest mirror/app:" + amd.digest());
        assertThat(writes.subList(0, Math.min(firstManifest, writes.indexOf("manifest mirror/app:" + arm.digest()))))
                .allMatch(w -> w.startsWith("blob "))
                .hasSize(5);
        for (var blob : amd.blobs()) {
            assertThat(target.blobs.get(blob.digest().toString()))
                    .isEqualTo(source.blobs.get(blob.digest().toString()));
        }
    }

    @Test
    void corruptSourceBlobFailsTheCopyAndLeavesNoTag() throws Exception {
        ImageManifest image = images.image("amd64", 10_000, 20_000);
        source.addManifest("app", "v1", image);
        source.corrupt = image.layers().get(1).digest();

        assertThatThrownBy(() -> copy(src("app", "v1"), dst("app", "v1"), CopyOptions.defaults()))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("expected " + image.layers().get(1).digest())
                .hasMessageContaining("actual sha256:");
        assertThat(target.manifests).isEmpty();
        assertThat(target.blobs)
                .doesNotContainKey(image.layers().get(1).digest().toString());
    }

    @Test
    void blobsTheTargetHasAreNotUploadedAgain() throws Exception {
        ImageManifest image = images.image("amd64", 1000, 2000);
        source.addManifest("app", "v1", image);
        target.blobs.put(
                image.layers().get(0).digest().toString(),
                source.blobs.get(image.layers().get(0).digest().toString()));

        CopyResult result = copy(src("app", "v1"), dst("app", "v1"), CopyOptions.defaults());

        assertThat(result.blobsSkipped()).isEqualTo(1);
        assertThat(result.blobsCopied()).isEqualTo(2);
        assertThat(target.writes).doesNotContain("blob " + image.layers().get(0).digest());
    }

    @Test
    void sameRegistryCopiesMountInsteadOfStreaming() throws Exception {
        ImageManifest image = images.image("amd64", 1000);
        source.addManifest("app", "v1", image);
        source.supportsMount = true;
        source.headAlwaysMisses = true;

        CopyResult result = copy(
                src("app", "v1"), new ImageLocation(source, "src-registry", "other", "v1"), CopyOptions.defaults());

        assertThat(result.blobsMounted()).isEqualTo(2);
        assertThat(result.blobsCopied()).isZero();
        assertThat(source.writes)
                .filteredOn(w -> w.startsWith("mount "))
                .hasSize(2)
                .allMatch(w -> w.endsWith("from app"));
    }

    @Test
    void blobKnownInAnotherTargetRepositoryIsMounted() throws Exception {
        ImageManifest image = images.image("amd64", 1000, 1000);
        source.addManifest("app", "v1", image);
        KnownBlobs known = new KnownBlobs(100);
        ImageCopier copier =
                ImageCopier.builder(vertx, CopyOptions.defaults(), known).build();
        await(copier.copy(src("app", "v1"), dst("team-a/app", "v1"), new CopyProgress()));

        // A registry that stores per repository: hide the blobs from HEAD, keep them mountable.
        InMemoryStore perRepoTarget = new InMemoryStore(vertx);
        perRepoTarget.headAlwaysMisses = true;
        perRepoTarget.blobs.putAll(target.blobs);
        perRepoTarget.supportsMount = true;
        CopyResult second = await(copier.copy(
                src("app", "v1"),
                new ImageLocation(perRepoTarget, "dst-registry", "team-b/app", "v1"),
                new CopyProgress()));

        assertThat(second.blobsMounted()).isEqualTo(3);
        assertThat(second.blobsCopied()).isZero();
        assertThat(perRepoTarget.writes).anyMatch(w -> w.startsWith("mount ") && w.endsWith("from team-a/app"));
    }

    @Test
    void platformSubsetWritesASmallerIndexWithOnlyThoseBlobs() throws Exception {
        ImageManifest amd = images.image("amd64", 1000);
        ImageManifest arm = images.image("arm64", 2000);
        ImageIndex index = images.index(amd, arm);
        source.addManifest("app", "v1", amd);
        source.addManifest("app", "v1", arm);
        source.addManifest("app", "v1", index);

        CopyResult result =
                copy(src("app", "v1"), dst("app", "v1"), new CopyOptions(List.of(Platform.parse("linux/arm64")), 2));

        assertThat(result.targetDigest()).isNotEqualTo(index.digest());
        ImageIndex written = (ImageIndex) target.manifests.get("app|v1");
        assertThat(written.manifests())
                .singleElement()
                .satisfies(d -> assertThat(d.digest()).isEqualTo(arm.digest()));
        assertThat(target.blobs)
                .containsKeys(arm.layers().get(0).digest().toString())
                .doesNotContainKey(amd.layers().get(0).digest().toString());
    }

    @Test
    void unknownPlatformIsAClearError() {
        ImageManifest amd = images.image("amd64", 10);
        ImageIndex index = images.index(amd);
        source.addManifest("app", "v1", amd);
        source.addManifest("app", "v1", index);

        assertThatThrownBy(() -> copy(
                        src("app", "v1"),
                        dst("app", "v1"),
                        new CopyOptions(List.of(Platform.parse("windows/amd64")), 2)))
                .hasMessageContaining("windows/amd64")
                .hasMessageContaining("linux/amd64");
        assertThat(target.writes).isEmpty();
    }

    @Test
    void upToDateTargetIsNotWritten() throws Exception {
        ImageManifest image = images.image("amd64", 1000);
        source.addManifest("app", "v1", image);
        copy(src("app", "v1"), dst("app", "v1"), CopyOptions.defaults());
        int writesAfterFirst = target.writes.size();

        CopyResult again = copy(src("app", "v1"), dst("app", "v1"), CopyOptions.defaults());

        assertThat(again.upToDate()).isTrue();
        assertThat(target.writes).hasSize(writesAfterFirst);
    }

    @Test
    void aRefusingTagGuardStopsTheCopyBeforeTheTagIsWritten() throws Exception {
        ImageManifest image = images.image("amd64", 1000);
        source.addManifest("app", "v1", image);
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(10))
                .build();
        java.util.List<String> asked = new java.util.ArrayList<>();

        assertThatThrownBy(() -> await(
                        copier.copy(src("app", "v1"), dst("app", "v1"), new CopyProgress(), (tag, digest, current) -> {
                            asked.add(tag + "@" + digest);
                            return Future.failedFuture(new IllegalStateException("lease lost"));
                        })))
                .hasMessageContaining("lease lost");

        assertThat(asked).containsExactly("v1@" + image.digest());
        assertThat(target.manifests).doesNotContainKey("app|v1");
        assertThat(target.blobs).containsKey(image.layers().get(0).digest().toString());
    }

    @Test
    void blobUploadsRunInParallelUpToTheBound() throws Exception {
        ImageManifest image = images.image("amd64", 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000);
        source.addManifest("app", "v1", image);

        copy(src("app", "v1"), dst("app", "v1"), new CopyOptions(List.of(), 3));

        assertThat(target.maxUploadsInFlight.get()).isBetween(2, 3);
        assertThat(target.blobs).hasSize(9);
    }

    @Test
    void theGuardSeesWhatTheTargetTagHoldsAndABackupPermitKeepsIt() throws Exception {
        ImageManifest foreign = new FakeImages(target).image("amd64", 700);
        target.addManifest("app", "v1", foreign);
        ImageManifest image = images.image("amd64", 1000);
        source.addManifest("app", "v1", image);
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(10))
                .build();
        java.util.List<String> asked = new java.util.ArrayList<>();

        CopyResult r =
                await(copier.copy(src("app", "v1"), dst("app", "v1"), new CopyProgress(), (tag, digest, current) -> {
                    asked.add(tag + "@" + digest + " over " + current);
                    return Future.succeededFuture(new TagGuard.Permit("v1-ferry-backup-1700000000"));
                }));

        assertThat(r.upToDate()).isFalse();
        assertThat(asked).containsExactly("v1@" + image.digest() + " over " + foreign.digest());
        assertThat(target.manifests.get("app|v1-ferry-backup-1700000000").digest())
                .isEqualTo(foreign.digest());
        assertThat(target.manifests.get("app|v1").digest()).isEqualTo(image.digest());
    }

    @Test
    void aTagThatReachedTheWantedDigestDuringTheCopyIsNotWrittenAgain() throws Exception {
        ImageManifest image = images.image("amd64", 1000);
        source.addManifest("app", "v1", image);
        // Someone (another worker, say) writes the same image while this copy moves blobs.
        target.afterBlob = () -> target.addManifest("app", "v1", image);
        ImageCopier copier = ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(10))
                .build();

        CopyResult r = await(copier.copy(
                src("app", "v1"),
                dst("app", "v1"),
                new CopyProgress(),
                (tag, digest, current) ->
                        Future.failedFuture(new IllegalStateException("the guard must not be asked"))));

        assertThat(r.upToDate()).isTrue();
        assertThat(target.writes).noneMatch(w -> w.startsWith("manifest"));
    }

    @Test
    void thePostCopyCheckFailsACopyWhoseTagDoesNotHoldWhatWasWritten() throws Exception {
        ImageManifest image = images.image("amd64", 1000);
        source.addManifest("app", "v1", image);
        ImageManifest other = new FakeImages(target).image("arm64", 900);
        target.racingTagWrite = other;

        assertThatThrownBy(() -> copy(src("app", "v1"), dst("app", "v1"), CopyOptions.defaults()))
                .isInstanceOf(dev.ferry.common.digest.DigestMismatchException.class)
                .hasMessageContaining("post-copy check")
                .hasMessageContaining(other.digest().toString())
                .hasMessageContaining(image.digest().toString());
    }
}
