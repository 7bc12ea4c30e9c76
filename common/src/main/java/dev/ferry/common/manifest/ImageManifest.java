package dev.ferry.common.manifest;

import dev.ferry.common.digest.Digest;
import java.util.ArrayList;
import java.util.List;

/** A single-platform image manifest (OCI or Docker schema2). */
public record ImageManifest(
        String mediaType, byte[] raw, Digest digest, Descriptor config, List<Descriptor> layers, Descriptor subject)
        implements Manifest {

    public ImageManifest {
        layers = List.copyOf(layers);
    }

    /** Config first, then layers: every blob the manifest needs on the target. */
    public List<Descriptor> blobs() {
        List<Descriptor> all = new ArrayList<>(layers.size() + 1);
        all.add(config);
        all.addAll(layers);
        return all;
    }
}
