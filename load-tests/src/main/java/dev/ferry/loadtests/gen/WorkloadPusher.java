package dev.ferry.loadtests.gen;

import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Manifest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes planned images to a store (Ferry's own {@code RegistryClient}): blobs the store lacks,
 * then child manifests, then the tag. Images are built one at a time per lane, so memory holds
 * at most {@code lanes} images.
 */
public final class WorkloadPusher {

    private final Context context;
    private final ImageStore store;
    private final ImageBuilder builder;
    private final AtomicLong bytesPushed = new AtomicLong();

    public WorkloadPusher(Context context, ImageStore store, ImageBuilder builder) {
        this.context = context;
        this.store = store;
        this.builder = builder;
    }

    public long bytesPushed() {
        return bytesPushed.get();
    }

    /** Pushes every image, {@code lanes} at a time. */
    public Future<Void> pushAll(List<PlannedImage> images, int lanes) {
        List<Future<Void>> all = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            Future<Void> chain = Future.succeededFuture();
            for (int i = lane; i < images.size(); i += lanes) {
                PlannedImage image = images.get(i);
                chain = chain.compose(v -> push(image));
            }
            all.add(chain);
        }
        return Future.all(all).mapEmpty();
    }

    /** Builds and pushes one image; building (hashing megabytes) runs off the event loop. */
    public Future<Void> push(PlannedImage image) {
        return context.<GeneratedImage>executeBlocking(() -> builder.build(image))
                .compose(this::push);
    }

    /** Pushes an image already built (its digests known to the caller). */
    public Future<Void> push(GeneratedImage image) {
        Future<Void> chain = Future.succeededFuture();
        for (GeneratedImage.Blob blob : image.blobs()) {
            chain = chain.compose(v -> pushBlob(image.repository(), blob));
        }
        for (Manifest child : image.children()) {
            chain = chain.compose(
                    v -> store.putManifest(image.repository(), child.digest().toString(), child));
        }
        return chain.compose(v -> store.putManifest(image.repository(), image.tag(), image.top()))
                .onSuccess(v -> bytesPushed.addAndGet(image.top().raw().length));
    }

    private Future<Void> pushBlob(String repository, GeneratedImage.Blob blob) {
        return store.hasBlob(repository, blob.descriptor().digest()).compose(present -> {
            if (present) {
                return Future.succeededFuture();
            }
            return store.putBlob(repository, blob.descriptor(), new BytesReadStream(context, blob.bytes()))
                    .onSuccess(v -> bytesPushed.addAndGet(blob.bytes().length));
        });
    }
}
