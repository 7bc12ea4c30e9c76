package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated manifest (or index) with everything it references, ready to be pushed or written
 * to a layout. For an index, {@code config} is {@code null}, {@code layers} is empty and
 * {@code children} holds the platform manifests; for a manifest, {@code children} is empty.
 *
 * @param manifest the exact bytes whose sha256 is {@code digest}
 * @param platform the platform of an image manifest, {@code null} for an index
 */
public record GeneratedImage(
        String digest,
        String mediaType,
        byte[] manifest,
        ImagePlatform platform,
        GeneratedBlob config,
        List<GeneratedBlob> layers,
        List<GeneratedImage> children) {

    public GeneratedImage {
        layers = List.copyOf(layers);
        children = List.copyOf(children);
    }

    public boolean isIndex() {
        return config == null;
    }

    public String manifestString() {
        return new String(manifest, StandardCharsets.UTF_8);
    }

    /** Config and layers of this manifest (nothing for an index). */
    public List<GeneratedBlob> ownBlobs() {
        List<GeneratedBlob> blobs = new ArrayList<>();
        if (config != null) {
            blobs.add(config);
        }
        blobs.addAll(layers);
        return blobs;
    }

    /** Every blob referenced directly or through children, each digest once. */
    public List<GeneratedBlob> allBlobs() {
        Map<String, GeneratedBlob> unique = new LinkedHashMap<>();
        for (GeneratedImage child : children) {
            child.allBlobs().forEach(blob -> unique.putIfAbsent(blob.digest(), blob));
        }
        ownBlobs().forEach(blob -> unique.putIfAbsent(blob.digest(), blob));
        return List.copyOf(unique.values());
    }

    /** The result description, without content. */
    public SeededImage describe(String tag) {
        return new SeededImage(
                tag,
                digest,
                mediaType,
                manifest,
                platform,
                allBlobs().stream().map(GeneratedBlob::ref).toList(),
                children.stream().map(child -> child.describe(null)).toList());
    }

    /** Deletes the temporary files of file-backed blobs; the image cannot be pushed afterwards. */
    public void deleteFiles() {
        for (GeneratedBlob blob : allBlobs()) {
            if (blob.data() instanceof BlobData.OnDisk onDisk) {
                try {
                    Files.deleteIfExists(onDisk.file());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
