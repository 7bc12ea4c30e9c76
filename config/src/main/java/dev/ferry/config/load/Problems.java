package dev.ferry.config.load;

import dev.ferry.config.yaml.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems so the loader can report all of them at once. */
final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    void add(Location at, String path, String message) {
        list.add(new ConfigProblem(at, path, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<ConfigProblem> sorted() {
        List<ConfigProblem> out = new ArrayList<>(list);
        out.sort(Comparator.comparingInt((ConfigProblem p) -> p.location().line())
                .thenComparingInt(p -> p.location().column()));
        return out;
    }
}
