package dev.ferry.config.model;

import java.util.List;

/**
 * Which targets a pre-warming policy fills. A target is warmed when a route in scope lists it
 * as hot (or without a tier). The routes in scope are all routes, or with {@code prewarm.region}
 * those of that region. A target no route in scope lists is warmed only without a region: a
 * mirror on no route keeps the behaviour it had before tiers. A target every in-scope route
 * marks {@code cold} is left alone, and so is its content: no pre-warm, no ttl expiry.
 */
public final class PrewarmScope {

    private PrewarmScope() {}

    public static boolean warms(PrewarmSpec spec, String registry, List<RouteConfig> routes) {
        List<RouteConfig> listing = routes.stream()
                .filter(r -> spec.region() == null || spec.region().equals(r.region()))
                .filter(r -> r.mirrors().contains(registry))
                .toList();
        if (listing.isEmpty()) {
            return spec.region() == null;
        }
        return listing.stream().anyMatch(r -> r.tierOf(registry) == MirrorTier.HOT);
    }

    /** The policy as its runs plan, expire and delete: a pre-warming one with only the targets it warms. */
    public static Policy narrow(Policy policy, List<RouteConfig> routes) {
        if (policy.prewarm() == null) {
            return policy;
        }
        List<TargetSpec> warmed = policy.targets().stream()
                .filter(t -> warms(policy.prewarm(), t.registry(), routes))
                .toList();
        return warmed.size() == policy.targets().size() ? policy : policy.withTargets(warmed);
    }
}
