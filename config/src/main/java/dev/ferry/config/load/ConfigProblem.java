package dev.ferry.config.load;

import dev.ferry.config.yaml.Location;

/**
 * One thing wrong with a schedule file, printed as {@code FILE:LINE:COL: PATH: message}.
 *
 * @param path the field, e.g. {@code policies[1].source.registry}; empty for the whole file
 */
public record ConfigProblem(Location location, String path, String message) {

    @Override
    public String toString() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
