package dev.ferry.agent;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which route writes which file, so that two routes with the same upstream host never
 * overwrite each other's {@code hosts.toml} in turn: the second one fails with a clear error.
 */
final class PathClaims {

    private final Map<Path, String> owners = new ConcurrentHashMap<>();

    /** @return null when {@code route} may write {@code path}, else the route that already does */
    String claim(Path path, String route) {
        String owner = owners.putIfAbsent(path.toAbsolutePath().normalize(), route);
        return owner == null || owner.equals(route) ? null : owner;
    }

    void release(Path path, String route) {
        owners.remove(path.toAbsolutePath().normalize(), route);
    }
}
