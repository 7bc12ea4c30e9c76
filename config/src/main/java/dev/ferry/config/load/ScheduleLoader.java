package dev.ferry.config.load;

import dev.ferry.common.io.BoundedFiles;
import dev.ferry.config.model.ApiConfig;
import dev.ferry.config.model.ClusterConfig;
import dev.ferry.config.model.FailoverConfig;
import dev.ferry.config.model.LinkConfig;
import dev.ferry.config.model.MirrorTier;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.units.Bandwidth;
import dev.ferry.config.yaml.Location;
import dev.ferry.config.yaml.Node;
import dev.ferry.config.yaml.YamlSyntaxException;
import dev.ferry.config.yaml.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one way to read a schedule file: YAML into records, then every check, and either a
 * {@link Schedule} or a {@link ConfigException} listing every problem as FILE:LINE:COL.
 */
public final class ScheduleLoader {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The largest schedule file; {@link YamlTree} lets SnakeYAML read as many code points. */
    public static final int MAX_FILE_BYTES = YamlTree.MAX_CODE_POINTS;

    private ScheduleLoader() {}

    public static Schedule load(Path file) {
        String content = read(file);
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), content, dir);
    }

    /**
     * Reads a schedule file's text: only a regular file, and at most {@link #MAX_FILE_BYTES}, so
     * a FIFO cannot block and {@code /dev/zero} cannot fill the heap.
     *
     * @throws ConfigException naming the file when it cannot be read or is refused
     */
    public static String read(Path file) {
        try {
            return BoundedFiles.readString(file, MAX_FILE_BYTES, StandardCharsets.UTF_8);
        } catch (BoundedFiles.RefusedFile e) {
            throw fail(
                    new Location(file.toString(), 1, 1),
                    "cannot read the schedule: " + e.getMessage() + "; a schedule is a YAML file of at most "
                            + BoundedFiles.describe(MAX_FILE_BYTES));
        } catch (IOException e) {
            throw fail(
                    new Location(file.toString(), 1, 1),
                    "cannot read the file: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /**
     * Parses schedule text.
     *
     * @param fileName used in messages
     * @param baseDirectory where relative paths in the file (key files) are resolved
     */
    public static Schedule parse(String fileName, String content, Path baseDirectory) {
        Node root;
        try {
            root = YamlTree.parse(fileName, content);
        } catch (YamlSyntaxException e) {
            throw fail(e.location(), e.getMessage());
        }
        Problems problems = new Problems();
        Schedule schedule = bind(root, problems, baseDirectory);
        if (!problems.isEmpty() || schedule == null) {
            throw new ConfigException(problems.sorted());
        }
        return schedule;
    }

    private static Schedule bind(Node rootNode, Problems problems, Path baseDirectory) {
        Section root = Section.root(rootNode, problems);
        if (root == null) {
            return null;
        }
        Integer version = version(root);
        if (version == null) {
            return null; // other fields may mean something else in another version
        }
        RegistryBinder registryBinder = new RegistryBinder(baseDirectory);
        List<RegistryConfig> registries = registryBinder.bind(list(root, "registries", "registry"));
        if (!root.has("registries")) {
            root.missing("registries");
        }
        Set<String> regions = new HashSet<>();
        registries.forEach(r -> regions.add(r.region()));
        List<LinkConfig> links = links(list(root, "links", "link"), regions);
        // Routes first: a pre-warming policy's targets are checked against their tiers.
        List<RouteConfig> routes = routes(list(root, "routes", "route"), registryBinder.names(), regions);
        List<Policy> policies = new PolicyBinder(registryBinder.names(), baseDirectory, routes)
                .bind(root.section("defaults", "defaults"), list(root, "policies", "policy"));
        policies = HubRepositories.normalize(policies, registries);
        FailoverConfig failover = failover(root.section("failover", "failover"));
        ApiConfig api = ApiBinder.bind(root.section("api", "api"));
        ClusterConfig cluster = cluster(root.section("cluster", "cluster"));
        return new Schedule(version, registries, links, policies, routes, failover, api, cluster, baseDirectory);
    }

    private static Integer version(Section root) {
        if (!root.has("version")) {
            root.missing("version");
            return null;
        }
        String text = root.text("version");
        for (int v : Schedule.SUPPORTED_VERSIONS) {
            if (String.valueOf(v).equals(text)) {
                return v;
            }
        }
        root.problem(
                "version",
                "unsupported version \"" + text + "\"; this Ferry reads version "
                        + Schedule.SUPPORTED_VERSIONS.stream()
                                .map(String::valueOf)
                                .reduce((a, b) -> a + ", " + b)
                                .orElse(""));
        return null;
    }

    private static List<Section> list(Section root, String key, String section) {
        List<Section> l = root.sections(key, section);
        return l == null ? List.of() : l;
    }

    private static List<LinkConfig> links(List<Section> sections, Set<String> regions) {
        List<LinkConfig> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Section s : sections) {
            String from = s.requiredString("from");
            String to = s.requiredString("to");
            checkRegion(s, "from", from, regions);
            checkRegion(s, "to", to, regions);
            Bandwidth bandwidth = s.has("bandwidth") ? Values.checked(s, "bandwidth", Bandwidth::parse) : null;
            if (!s.has("bandwidth")) {
                s.missing("bandwidth");
            }
            if (from != null && to != null && !seen.add(from + "->" + to)) {
                s.problem("from", "duplicate link " + from + " -> " + to);
            }
            if (from != null && to != null && bandwidth != null) {
                out.add(new LinkConfig(from, to, bandwidth));
            }
        }
        return out;
    }

    private static void checkRegion(Section s, String key, String region, Set<String> regions) {
        if (region != null && !regions.contains(region)) {
            s.problem(
                    key,
                    "unknown region \"" + region + "\" (regions of the registries: " + String.join(", ", regions) + ")"
                            + Suggestions.hint(region, regions));
        }
    }

    private static List<RouteConfig> routes(List<Section> sections, Names registries, Set<String> regions) {
        Names names = new Names("route");
        List<RouteConfig> out = new ArrayList<>();
        for (Section s : sections) {
            String name = s.requiredString("name");
            names.declare(s, "name", name);
            String region = s.requiredString("region");
            checkRegion(s, "region", region, regions);
            if (!s.has("mirrors")) {
                s.missing("mirrors");
            }
            List<String> mirrors = s.strings("mirrors");
            if (mirrors != null) {
                if (mirrors.isEmpty()) {
                    s.problem("mirrors", "list at least one registry");
                }
                for (int i = 0; i < mirrors.size(); i++) {
                    registries.checkReferenceItem(s, "mirrors", i, mirrors.get(i));
                    if (mirrors.indexOf(mirrors.get(i)) != i) {
                        s.problemAtItem("mirrors", i, "registry \"" + mirrors.get(i) + "\" is listed twice");
                    }
                }
            }
            Map<String, MirrorTier> tiers = RouteTiers.bind(s, mirrors);
            if (name != null && region != null && mirrors != null) {
                out.add(new RouteConfig(
                        name,
                        region,
                        mirrors,
                        s.strings("teams"),
                        s.strings("workloads"),
                        Values.duration(s, "maxLag", Duration.ofSeconds(1)),
                        tiers));
            }
        }
        return out;
    }

    private static FailoverConfig failover(Section s) {
        FailoverConfig d = FailoverConfig.defaults();
        if (s == null) {
            return d;
        }
        Duration probe = Values.duration(s, "probeInterval", Duration.ofSeconds(1));
        Duration timeout = Values.duration(s, "probeTimeout", Duration.ofMillis(100));
        Integer downAfter = s.integer("downAfter", 1, 100);
        Duration failback = Values.duration(s, "failbackAfter", Duration.ZERO);
        Duration slow = Values.duration(s, "degradedLatency", Duration.ofMillis(10));
        Integer percent = s.integer("degradedPercent", 1, 100);
        return new FailoverConfig(
                Values.or(probe, d.probeInterval()),
                Values.or(timeout, d.probeTimeout()),
                Values.or(downAfter, d.downAfter()),
                Values.or(failback, d.failbackAfter()),
                Values.or(slow, d.degradedLatency()),
                Values.or(percent, d.degradedPercent()));
    }

    private static ClusterConfig cluster(Section s) {
        if (s == null) {
            return ClusterConfig.defaults();
        }
        String name = Values.or(s.string("name"), ClusterConfig.DEFAULT_NAME);
        if (!CLUSTER_NAME.matcher(name).matches()) {
            s.problem(
                    "name",
                    "invalid cluster name \"" + name
                            + "\": use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return new ClusterConfig(name);
    }

    private static ConfigException fail(Location at, String message) {
        return new ConfigException(List.of(new ConfigProblem(at, "", message)));
    }
}
