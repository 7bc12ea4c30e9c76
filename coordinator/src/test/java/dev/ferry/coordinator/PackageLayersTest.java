package dev.ferry.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's packages are layered, and a class may name only classes of its own package
 * or of a lower layer (docs/architecture.md lists the layers and says why). Packages of one
 * layer do not name each other either. Every mention counts (imports, fully qualified names,
 * Javadoc links), read from the source files, so a move that points a dependency back up fails
 * here with the file and the name.
 */
class PackageLayersTest {

    /** Bottom first. The root package ({@code CoordinatorNode}) wires everything and sits on top. */
    static final List<List<String>> LAYERS = List.of(
            List.of("error", "hz", "conflict", "plan", "ui"),
            List.of("job"),
            List.of("metrics"),
            List.of("audit"),
            List.of("run", "history", "quota", "event"),
            List.of("health", "pull", "preview", "report"),
            List.of("lease"),
            List.of("status"),
            List.of("security"),
            List.of("api"),
            List.of("cluster"),
            List.of(""));

    private static final Path SOURCES = Path.of("src/main/java/dev/ferry/coordinator");
    /** A coordinator class named anywhere in a file: its package (empty for the root) and class. */
    private static final Pattern NAMED =
            Pattern.compile("\\bdev\\.ferry\\.coordinator\\.(?:([a-z][a-z0-9]*)\\.)?[A-Z]");

    private static final Pattern CLI = Pattern.compile("\\bdev\\.ferry\\.cli\\.");

    @Test
    void everyCoordinatorClassNamesOnlyItsOwnPackageOrLowerLayers() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            int fromLayer = layerOf(from);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("package ")) {
                    continue;
                }
                Matcher m = NAMED.matcher(line);
                while (m.find()) {
                    String to = m.group(1) == null ? "" : m.group(1);
                    if (!to.equals(from) && layerOf(to) >= fromLayer) {
                        upward.add(where(file, i) + ": " + name(from) + " names " + name(to) + ": " + line.strip());
                    }
                }
                if (CLI.matcher(line).find()) {
                    upward.add(where(file, i) + ": " + name(from) + " names the CLI (dev.ferry.cli): " + line.strip());
                }
            }
        }
        assertThat(upward)
                .as("references that point up or sideways between the coordinator's layers")
                .isEmpty();
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        TreeSet<String> packages = new TreeSet<>();
        for (Path file : sources()) {
            packages.add(packageOf(file));
        }
        List<String> unplaced = packages.stream()
                .filter(p -> layerOf(p) < 0)
                .map(PackageLayersTest::name)
                .toList();
        assertThat(unplaced)
                .as("packages missing from PackageLayersTest.LAYERS (and docs/architecture.md)")
                .isEmpty();
    }

    @Test
    void theCheckFindsAnUpwardName() {
        // The rule itself, on a line as the job package once had it.
        Matcher m = NAMED.matcher("import dev.ferry.coordinator.lease.ReadyIndex;");
        assertThat(m.find()).isTrue();
        assertThat(layerOf(m.group(1))).isGreaterThan(layerOf("job"));
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(Path file) {
        Path dir = SOURCES.relativize(file).getParent();
        return dir == null ? "" : dir.toString().replace('/', '.');
    }

    static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    private static String where(Path file, int index) {
        return SOURCES.resolve(SOURCES.relativize(file)) + ":" + (index + 1);
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "dev.ferry.coordinator" : "dev.ferry.coordinator." + pkg;
    }
}
