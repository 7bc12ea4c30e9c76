package dev.ferry.coordinator.plan;

import dev.ferry.config.model.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, at plan time, what a target's repository mapping does to the repositories a
 * policy's globs found: two source repositories landing on one target repository would
 * overwrite each other's tags, so such a plan queues nothing of the policy.
 */
final class TargetNaming {

    private TargetNaming() {}

    /**
     * One line per pair of source repositories that land on one target repository, per target.
     * A repository the mapping cannot take is not a collision: its own plan reports it.
     *
     * @param names the registry name of each target, for messages
     */
    static List<String> collisions(
            String policy, List<TargetSpec> targets, List<String> names, List<String> repositories) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetSpec target = targets.get(i);
            Map<String, String> landed = new LinkedHashMap<>();
            for (String repository : repositories) {
                String mapped;
                try {
                    mapped = Planner.targetRepository(target, repository);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                String other = landed.putIfAbsent(mapped, repository);
                if (other != null) {
                    out.add("target " + names.get(i) + ": source repositories " + other + " and " + repository
                            + " would both be written to " + mapped + "; nothing of policy " + policy
                            + " is planned until the mapping tells them apart");
                }
            }
        }
        return out;
    }
}
