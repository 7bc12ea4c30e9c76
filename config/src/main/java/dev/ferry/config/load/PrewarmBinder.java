package dev.ferry.config.load;

import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.PrewarmSpec;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.TargetSpec;
import java.util.List;
import java.util.TreeSet;

/**
 * Binds {@code prewarm:} and checks a pre-warming policy's targets against the routes: the
 * region must be some route's, a {@code ttl} must be on a target the policy warms, and at
 * least one target must be warmed.
 */
final class PrewarmBinder {

    private final List<RouteConfig> routes;

    PrewarmBinder(List<RouteConfig> routes) {
        this.routes = routes;
    }

    PrewarmSpec bind(Section p) {
        if (p == null) {
            return null;
        }
        Integer topK = p.integer("topK", 1, 1000);
        if (topK == null && !p.has("topK")) {
            p.missing("topK");
        }
        String region = p.string("region");
        TreeSet<String> regions = new TreeSet<>();
        routes.forEach(r -> regions.add(r.region()));
        if (region != null && !regions.contains(region)) {
            p.problem(
                    "region",
                    "no route is in region \"" + region + "\" (regions of the routes: "
                            + (regions.isEmpty() ? "none, there are no routes" : String.join(", ", regions)) + ")"
                            + Suggestions.hint(region, regions));
            return null;
        }
        return topK == null ? null : new PrewarmSpec(topK, region);
    }

    /** A ttl on a target the policy does not warm would never apply: refused, with the reason. */
    void checkTtl(Section target, String registry, PrewarmSpec spec) {
        if (spec != null && registry != null && target.has("ttl") && !PrewarmScope.warms(spec, registry, routes)) {
            target.problem(
                    "ttl",
                    why(spec, registry) + ", so this policy does not pre-warm it and a ttl there would"
                            + " never expire anything; cold mirrors keep everything. Remove the ttl, or mark the mirror hot");
        }
    }

    void checkSomeTargetWarmed(Section policy, PrewarmSpec spec, List<TargetSpec> targets) {
        if (spec == null
                || targets == null
                || targets.isEmpty()
                || targets.stream().anyMatch(t -> PrewarmScope.warms(spec, t.registry(), routes))) {
            return;
        }
        policy.problem(
                "prewarm",
                "this pre-warming policy would warm none of its targets: "
                        + String.join(
                                "; ",
                                targets.stream()
                                        .map(t -> why(spec, t.registry()))
                                        .toList()));
    }

    private String why(PrewarmSpec spec, String registry) {
        List<String> listing = routes.stream()
                .filter(r -> spec.region() == null || spec.region().equals(r.region()))
                .filter(r -> r.mirrors().contains(registry))
                .map(RouteConfig::name)
                .toList();
        if (listing.isEmpty()) {
            return "\"" + registry + "\" is a mirror of no route in region " + spec.region();
        }
        return "\"" + registry + "\" is cold in every route"
                + (spec.region() == null ? "" : " of region " + spec.region()) + " that lists it ("
                + String.join(", ", listing) + ")";
    }
}
