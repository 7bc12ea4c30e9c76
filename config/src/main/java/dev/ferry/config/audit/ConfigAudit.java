package dev.ferry.config.audit;

import static dev.ferry.config.audit.TreeView.at;
import static dev.ferry.config.audit.TreeView.get;
import static dev.ferry.config.audit.TreeView.isTrue;
import static dev.ferry.config.audit.TreeView.items;
import static dev.ferry.config.audit.TreeView.text;

import dev.ferry.config.audit.Finding.Severity;
import dev.ferry.config.filter.LinearRegex;
import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.yaml.Node;
import dev.ferry.config.yaml.YamlSyntaxException;
import dev.ferry.config.yaml.YamlTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry audit-config}: risky settings in a schedule file, each with a severity and
 * where it is. The rules are documented in docs/security.md ("Config policy audit").
 */
public final class ConfigAudit {

    /** Keys that would put a secret in the file itself. */
    static final List<String> INLINE_SECRET_KEYS = List.of("password", "token", "secret", "auth");
    /** Tags a release pattern is expected to protect. */
    static final List<String> RELEASE_TAGS = List.of("v1.2.3", "1.2.3");

    private ConfigAudit() {}

    /**
     * The findings of one file, highest severity first.
     *
     * @param skipped rules that could not run (the file does not load until the inline secrets go)
     */
    public record Report(List<Finding> findings, boolean skipped) {
        public boolean anyHigh() {
            return findings.stream().anyMatch(f -> f.severity() == Severity.HIGH);
        }
    }

    /** Audits a file; throws {@link ConfigException} when it is not a schedule this Ferry can load. */
    public static Report audit(Path file) {
        String content = ScheduleLoader.read(file);
        Node root;
        try {
            root = YamlTree.parse(file.toString(), content);
        } catch (YamlSyntaxException e) {
            throw new ConfigException(List.of(new ConfigProblem(e.location(), "", e.getMessage())));
        }
        List<Finding> findings = new ArrayList<>(inlineSecrets(root));
        Schedule schedule;
        try {
            schedule = ScheduleLoader.load(file);
        } catch (ConfigException e) {
            // Inline secrets are unknown fields to the loader, and leave the credentials without a source.
            Set<String> inlinePaths = inlineCredentialPaths(root);
            if (!findings.isEmpty()
                    && e.problems().stream()
                            .allMatch(p -> inlinePaths.stream()
                                    .anyMatch(path -> p.path().startsWith(path)))) {
                return new Report(sorted(findings), true);
            }
            throw e;
        }
        Set<String> production = new HashSet<>();
        for (Node r : items(root, "registries")) {
            if (isTrue(r, "production")) {
                production.add(text(r, "name"));
            }
        }
        registries(schedule, root, production, findings);
        policies(schedule, root, production, findings);
        PolicyReach.check(schedule, items(root, "policies"), production, findings);
        api(schedule, root, findings);
        return new Report(sorted(findings), false);
    }

    private static List<Finding> sorted(List<Finding> findings) {
        return findings.stream()
                .sorted(Comparator.comparing(Finding::severity)
                        .reversed()
                        .thenComparing(f -> f.location().line()))
                .toList();
    }

    /** The field paths of the credentials that hold a secret inline. */
    private static Set<String> inlineCredentialPaths(Node root) {
        Set<String> paths = new HashSet<>();
        List<Node> registries = items(root, "registries");
        for (int i = 0; i < registries.size(); i++) {
            Node creds = get(registries.get(i), "credentials");
            if (INLINE_SECRET_KEYS.stream().anyMatch(k -> get(creds, k) != null)) {
                paths.add("registries[" + i + "].credentials");
            }
        }
        return paths;
    }

    private static List<Finding> inlineSecrets(Node root) {
        List<Finding> out = new ArrayList<>();
        for (Node r : items(root, "registries")) {
            Node creds = get(r, "credentials");
            for (String key : INLINE_SECRET_KEYS) {
                if (get(creds, key) != null) {
                    out.add(new Finding(
                            Severity.HIGH,
                            "inline-credentials",
                            at(creds, key),
                            "registry \"" + text(r, "name")
                                    + "\" has its " + key
                                    + " written in the file: use passwordEnv, passwordFile, tokenFile or dockerConfig, and"
                                    + " rotate the secret, which is now in every copy of this file"));
                }
            }
        }
        return out;
    }

    private static void registries(Schedule schedule, Node root, Set<String> production, List<Finding> out) {
        List<Node> nodes = items(root, "registries");
        for (int i = 0; i < schedule.registries().size(); i++) {
            RegistryConfig r = schedule.registries().get(i);
            Node node = nodes.get(i);
            if (!r.tls().verify()) {
                boolean prod = production.contains(r.name());
                out.add(new Finding(
                        prod ? Severity.HIGH : Severity.MEDIUM,
                        "tls-unverified",
                        at(get(node, "tls"), "verify"),
                        (prod ? "production registry \"" : "registry \"") + r.name()
                                + "\" is reached over HTTPS without"
                                + " verification (tls: { verify: false }): anyone on the path can pose as it and read its credentials;"
                                + " trust its CA with tls: { caFile: ... } instead"));
            }
            if (!r.insecure()) {
                continue;
            }
            if (production.contains(r.name())) {
                out.add(new Finding(
                        Severity.HIGH,
                        "insecure-production",
                        at(node, "insecure"),
                        "production registry \""
                                + r.name()
                                + "\" is reached over plain HTTP (insecure: true): images and credentials cross the network"
                                + " unprotected; serve it over HTTPS"));
            } else {
                out.add(
                        new Finding(
                                Severity.MEDIUM,
                                "insecure-registry",
                                at(node, "insecure"),
                                "registry \"" + r.name()
                                        + "\" is reached over plain HTTP (insecure: true); fine for a local test registry only"));
            }
        }
    }

    private static void policies(Schedule schedule, Node root, Set<String> production, List<Finding> out) {
        List<Node> nodes = items(root, "policies");
        for (int i = 0; i < schedule.policies().size(); i++) {
            Policy p = schedule.policies().get(i);
            Node node = nodes.get(i);
            List<String> prodTargets = p.targets().stream()
                    .map(t -> t.registry())
                    .filter(production::contains)
                    .toList();
            boolean signed = p.verify() != null
                    && p.verify().cosignKeys() != null
                    && !p.verify().cosignKeys().isEmpty();
            if (!prodTargets.isEmpty() && !signed) {
                out.add(new Finding(
                        Severity.HIGH,
                        "unsigned-production",
                        at(node, "name"),
                        "policy \"" + p.name()
                                + "\" writes to production registry " + String.join(", ", prodTargets)
                                + " without requiring"
                                + " signatures: add verify: { cosign: { keys: [...] } } (or in defaults)"));
            }
            if (p.onConflict() == OnConflict.OVERWRITE && !protectsReleases(p.immutableTags())) {
                out.add(new Finding(
                        Severity.MEDIUM,
                        "overwrite-mutable-releases",
                        at(node, "onConflict"),
                        "policy \""
                                + p.name()
                                + "\" overwrites conflicting tags (onConflict: overwrite) and no immutableTags pattern"
                                + " protects release tags such as " + String.join(" or ", RELEASE_TAGS)
                                + ": add one, e.g. immutableTags: [\"^v?\\\\d+\\\\.\\\\d+\\\\.\\\\d+$\"]"));
            }
        }
    }

    private static boolean protectsReleases(List<String> immutableTags) {
        if (immutableTags == null) {
            return false;
        }
        for (String regex : immutableTags) {
            try {
                LinearRegex p = LinearRegex.compile(regex);
                if (RELEASE_TAGS.stream().anyMatch(p::find)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // The loader has checked them already.
            }
        }
        return false;
    }

    private static void api(Schedule schedule, Node root, List<Finding> out) {
        Node api = get(root, "api");
        String host = schedule.api().listen().replaceFirst(":\\d+$", "");
        if (schedule.api().tlsCert() == null && !isLoopback(host)) {
            out.add(new Finding(
                    Severity.HIGH,
                    "api-plaintext",
                    at(api, "listen"),
                    "the control API listens on "
                            + schedule.api().listen()
                            + " without TLS: bearer tokens would cross the network in clear; add"
                            + " api.tls or listen on loopback behind a TLS proxy"));
        }
        for (Node token : items(api, "tokens")) {
            String role = text(token, "role");
            if (text(token, "expires") != null) {
                continue;
            }
            if ("admin".equals(role)) {
                out.add(new Finding(
                        Severity.HIGH,
                        "admin-token-no-expiry",
                        token.location(),
                        "admin token \"" + text(token, "name")
                                + "\" never expires: give it expires: DATE and rotate it before then"));
            } else {
                out.add(new Finding(
                        Severity.LOW,
                        "token-no-expiry",
                        token.location(),
                        role + " token \"" + text(token, "name") + "\" never expires"));
            }
        }
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }
}
