package dev.ferry.config.audit;

import static dev.ferry.config.audit.TreeView.at;
import static dev.ferry.config.audit.TreeView.get;

import dev.ferry.config.audit.Finding.Severity;
import dev.ferry.config.filter.Glob;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.yaml.Node;
import java.util.List;
import java.util.Set;

/**
 * Audit rules on how far a policy reaches: a policy over every repository of its source that
 * may delete or overwrite at its targets, and a production target fed over plain HTTP.
 */
final class PolicyReach {

    /**
     * Names a glob must match to count as matching every repository: one segment, several, and
     * the characters repository names may hold.
     */
    static final List<String> PROBES = List.of("a", "app", "team/app", "a/b/c/d", "x-y_z.w/q__r--s/9");

    private PolicyReach() {}

    static void check(Schedule schedule, List<Node> policyNodes, Set<String> production, List<Finding> out) {
        for (int i = 0; i < schedule.policies().size(); i++) {
            Policy p = schedule.policies().get(i);
            Node node = policyNodes.get(i);
            boolean everything =
                    matchesEveryRepository(p.source().repositories(), p.source().exclude());
            String scope = p.source().repositories() == null
                            || p.source().repositories().isEmpty()
                    ? "names no repositories (so it takes every repository of "
                            + p.source().registry() + ")"
                    : "matches every repository of " + p.source().registry() + " ("
                            + p.source().repositories() + ")";
            if (everything && p.propagateDeletes()) {
                out.add(
                        new Finding(
                                Severity.HIGH,
                                "broad-propagate-deletes",
                                at(node, "propagateDeletes"),
                                "policy \""
                                        + p.name() + "\" " + scope
                                        + " and has propagateDeletes: true: a tag deleted anywhere in the source, "
                                        + "or a source emptied by mistake, deletes Ferry's copies at every target; name the repositories"));
            }
            if (everything && p.onConflict() == OnConflict.OVERWRITE) {
                out.add(new Finding(
                        Severity.MEDIUM,
                        "broad-overwrite",
                        at(node, "onConflict"),
                        "policy \"" + p.name()
                                + "\" " + scope
                                + " and has onConflict: overwrite: any tag someone else wrote at a target under the same"
                                + " name is replaced; name the repositories, or use backup"));
            }
            RegistryConfig source = schedule.registry(p.source().registry()).orElse(null);
            List<String> prodTargets = p.targets().stream()
                    .map(t -> t.registry())
                    .filter(production::contains)
                    .toList();
            if (source != null && source.insecure() && !prodTargets.isEmpty()) {
                boolean signed = p.verify() != null
                        && p.verify().cosignKeys() != null
                        && !p.verify().cosignKeys().isEmpty();
                out.add(
                        new Finding(
                                signed ? Severity.MEDIUM : Severity.HIGH,
                                "insecure-source-production",
                                at(get(node, "source"), "registry"),
                                "policy \"" + p.name() + "\" feeds production registry "
                                        + String.join(", ", prodTargets) + " from " + source.name()
                                        + ", which is reached over plain HTTP"
                                        + " (insecure: true): anyone on the path can swap the images"
                                        + (signed
                                                ? "; the signature check catches a swapped image, but serve the source over HTTPS"
                                                : " and no signature check would notice; serve it over HTTPS and require signatures")));
            }
        }
    }

    /** True when no exclude narrows the policy and its globs (none counts as all) take every probe name. */
    static boolean matchesEveryRepository(List<String> include, List<String> exclude) {
        if (exclude != null && !exclude.isEmpty()) {
            return false;
        }
        if (include == null || include.isEmpty()) {
            return true;
        }
        return PROBES.stream()
                .allMatch(name -> include.stream().anyMatch(g -> Glob.compile(g).matches(name)));
    }
}
