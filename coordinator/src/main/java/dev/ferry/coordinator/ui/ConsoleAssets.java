package dev.ferry.coordinator.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files (page, script, style sheet), read from the jar once. They hold no data:
 * the script reads the control API with the token the person signs in with, so serving them
 * needs no token. Only these names are served; there is no directory to walk.
 */
public final class ConsoleAssets {

    /** Answers to a page, so it can load only its own files and be framed by nobody. */
    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                            + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");

    private static final String DIR = "ferry-console/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    /** A file and its media type. */
    public record Asset(byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** Reads every file of the console from the class path; fails when one is missing from the jar. */
    public static ConsoleAssets load() {
        Map<String, Asset> out = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> out.put(name, new Asset(read(name), type)));
        return new ConsoleAssets(Map.copyOf(out));
    }

    /** The file called {@code name} ({@code index.html} for an empty name), if the console has one. */
    public Optional<Asset> get(String name) {
        return Optional.ofNullable(assets.get(name == null || name.isEmpty() ? "index.html" : name));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the console's " + name + " is missing from the jar (" + DIR + name + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
