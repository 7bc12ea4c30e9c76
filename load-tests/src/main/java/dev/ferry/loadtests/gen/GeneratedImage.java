package dev.ferry.loadtests.gen;

import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import java.util.List;

/**
 * The bytes of one planned image, ready to push: blobs first, then {@code children} (the
 * platform manifests), then {@code top} under the tag (the index, or the only manifest).
 */
public record GeneratedImage(String repository, String tag, List<Blob> blobs, List<Manifest> children, Manifest top) {

    public GeneratedImage {
        blobs = List.copyOf(blobs);
        children = List.copyOf(children);
    }

    /** A blob and its bytes. */
    public record Blob(Descriptor descriptor, byte[] bytes) {}

    public long bytes() {
        long total = top.raw().length;
        for (Blob b : blobs) {
            total += b.bytes().length;
        }
        for (Manifest m : children) {
            total += m.raw().length;
        }
        return total;
    }
}
