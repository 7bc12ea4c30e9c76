package dev.ferry.config.diff;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.Schedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between two schedules, by name, so a reload can start, stop or re-plan
 * exactly the policies that changed and reconnect only the registries that changed.
 */
public record ScheduleDiff(
        Changes policies,
        Changes registries,
        Changes routes,
        boolean linksChanged,
        boolean failoverChanged,
        boolean apiChanged) {

    /** Names added, removed and changed in one list. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {
        public Changes {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    public static ScheduleDiff between(Schedule before, Schedule after) {
        return new ScheduleDiff(
                changes(before.policies(), after.policies(), Policy::name),
                changes(before.registries(), after.registries(), RegistryConfig::name),
                changes(before.routes(), after.routes(), RouteConfig::name),
                !before.links().equals(after.links()),
                !before.failover().equals(after.failover()),
                !before.api().equals(after.api()));
    }

    public boolean isEmpty() {
        return policies.isEmpty()
                && registries.isEmpty()
                && routes.isEmpty()
                && !linksChanged
                && !failoverChanged
                && !apiChanged;
    }

    /**
     * Policies whose jobs must be re-planned: changed ones, and unchanged ones that read from
     * or write to a registry that changed (its URL or credentials may be new).
     */
    public List<String> policiesToReplan(Schedule after) {
        List<String> out = new ArrayList<>(policies.added());
        out.addAll(policies.changed());
        for (Policy p : after.policies()) {
            boolean touchesChanged = registries.changed().contains(p.source().registry())
                    || p.targets().stream().anyMatch(t -> registries.changed().contains(t.registry()));
            if (touchesChanged && !out.contains(p.name())) {
                out.add(p.name());
            }
        }
        return out;
    }

    private static <T> Changes changes(List<T> before, List<T> after, Function<T, String> name) {
        Map<String, T> old = index(before, name);
        Map<String, T> now = index(after, name);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, T> e : now.entrySet()) {
            T was = old.get(e.getKey());
            if (was == null) {
                added.add(e.getKey());
            } else if (!Objects.equals(was, e.getValue())) {
                changed.add(e.getKey());
            }
        }
        List<String> removed =
                old.keySet().stream().filter(k -> !now.containsKey(k)).toList();
        return new Changes(added, removed, changed);
    }

    private static <T> Map<String, T> index(List<T> list, Function<T, String> name) {
        Map<String, T> m = new LinkedHashMap<>();
        list.forEach(item -> m.put(name.apply(item), item));
        return m;
    }
}
