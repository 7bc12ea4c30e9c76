package dev.ferry.worker.copy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestCheckpoints;
import dev.ferry.common.image.BlobUpload;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upload sessions left open by failed blob transfers, with the hash checkpoints that let
 * the next attempt resume them, by (target registry, repository, digest). An entry lives
 * from one attempt to the next: when the copier gives up on the blob, it takes the entry
 * and deletes the session. Bounded: the least recently used entry is forgotten when full
 * (its session then expires on the registry, which purges stale uploads itself).
 */
public final class ResumableUploads {

    record Key(String registryId, String repository, Digest digest) {}

    /** An open session and the hash state of the bytes sent into it. */
    record Saved(BlobUpload upload, DigestCheckpoints hashes) {}

    private final Map<Key, Saved> saved;

    public ResumableUploads(int capacity) {
        this.saved = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Saved> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Removes and returns what a failed attempt left for {@code key}, if anything. */
    synchronized Saved take(Key key) {
        return saved.remove(key);
    }

    synchronized void keep(Key key, Saved entry) {
        saved.put(key, entry);
    }

    public synchronized int size() {
        return saved.size();
    }
}
