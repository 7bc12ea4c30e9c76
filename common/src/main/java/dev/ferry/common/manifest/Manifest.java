package dev.ferry.common.manifest;

import dev.ferry.common.digest.Digest;

/**
 * A parsed manifest or index together with the exact bytes it came from. The bytes are
 * what gets pushed, so the digest on the target is the digest on the source.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {

    String mediaType();

    /** The exact bytes, as served. */
    byte[] raw();

    /** The digest of {@link #raw()}. */
    Digest digest();

    default Descriptor descriptor() {
        return Descriptor.of(mediaType(), digest(), raw().length);
    }
}
