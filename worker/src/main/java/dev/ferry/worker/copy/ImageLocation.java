package dev.ferry.worker.copy;

import dev.ferry.common.image.ImageStore;

/**
 * One side of a copy: a store, a repository in it, and a tag or digest.
 *
 * @param registryId identifies the registry behind the store (host[:port], or the layout
 *     path), so the copier can tell when source and target are the same registry and a
 *     cross-repository mount will work
 */
public record ImageLocation(ImageStore store, String registryId, String repository, String reference) {

    public boolean byDigest() {
        return reference.contains(":");
    }

    @Override
    public String toString() {
        return registryId + "/" + repository + (byDigest() ? "@" : ":") + reference;
    }
}
