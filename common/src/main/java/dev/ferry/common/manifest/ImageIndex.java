package dev.ferry.common.manifest;

import dev.ferry.common.digest.Digest;
import java.util.List;

/** A multi-platform index (OCI image index or Docker manifest list). */
public record ImageIndex(String mediaType, byte[] raw, Digest digest, List<Descriptor> manifests, Descriptor subject)
        implements Manifest {

    public ImageIndex {
        manifests = List.copyOf(manifests);
    }
}
