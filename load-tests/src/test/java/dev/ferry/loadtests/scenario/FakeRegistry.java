package dev.ferry.loadtests.scenario;

import dev.ferry.common.manifest.Manifest;
import dev.ferry.loadtests.gen.GeneratedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An in-memory {@link RegistryView} for the chaos checks' tests; counts blob HEADs, can be made unreachable. */
final class FakeRegistry implements RegistryView {

    private final String name;
    private final Map<String, Map<String, Manifest>> tags = new LinkedHashMap<>();
    private final Map<String, Manifest> byDigest = new HashMap<>();
    private final Set<String> blobs = new HashSet<>();
    int blobHeads;
    boolean down;

    FakeRegistry(String name) {
        this.name = name;
    }

    /** Puts the whole image: blobs, children, and the tag. */
    FakeRegistry put(GeneratedImage image) {
        image.blobs()
                .forEach(
                        b -> blobs.add(image.repository() + "@" + b.descriptor().digest()));
        image.children().forEach(c -> byDigest.put(image.repository() + "@" + c.digest(), c));
        return tag(image.repository(), image.tag(), image.top());
    }

    FakeRegistry tag(String repository, String tag, Manifest manifest) {
        tags.computeIfAbsent(repository, r -> new LinkedHashMap<>()).put(tag, manifest);
        byDigest.put(repository + "@" + manifest.digest(), manifest);
        return this;
    }

    void dropBlob(String repository, String digest) {
        blobs.remove(repository + "@" + digest);
    }

    void dropManifest(String repository, String digest) {
        byDigest.remove(repository + "@" + digest);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> tags(String repository) throws IOException {
        reachable();
        return new ArrayList<>(tags.getOrDefault(repository, Map.of()).keySet());
    }

    @Override
    public Fetched manifest(String repository, String reference) throws IOException {
        reachable();
        Manifest m = reference.startsWith("sha256:")
                ? byDigest.get(repository + "@" + reference)
                : tags.getOrDefault(repository, Map.of()).get(reference);
        return m == null ? null : new Fetched(m.raw(), m.mediaType());
    }

    @Override
    public boolean hasBlob(String repository, String digest) throws IOException {
        reachable();
        blobHeads++;
        return blobs.contains(repository + "@" + digest);
    }

    private void reachable() throws IOException {
        if (down) {
            throw new IOException(name + " is down");
        }
    }
}
