package dev.ferry.loadtests.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fresh target registries, one per timed copy: both tools mount blobs a registry already holds
 * in another repository, so a second copy into the same registry would time mounts, not copies.
 */
final class Targets implements AutoCloseable {

    private final List<LocalRegistry> registries = new ArrayList<>();

    static Targets start(Path work, String label, int count) throws Exception {
        Targets t = new Targets();
        try {
            for (int i = 1; i <= count; i++) {
                t.registries.add(LocalRegistry.start(work.resolve(label + "-" + i)));
            }
        } catch (Exception e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** The i-th registry, 1-based. */
    LocalRegistry get(int i) {
        return registries.get(i - 1);
    }

    List<String> hosts() {
        return registries.stream().map(LocalRegistry::host).toList();
    }

    @Override
    public void close() {
        registries.forEach(LocalRegistry::close);
    }
}
