package dev.ferry.coordinator.quota;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a link's quota over the leases on it: weighted max-min fairness. Each lease gets
 * quota × its weight / the weights of all, except that a lease known to need less (its
 * {@code demand}) gets just that, and what it leaves is split again among the others. A
 * lease that streams a blob therefore does not lose bandwidth to one that is busy with
 * manifests, and the link stays near its quota.
 */
public final class QuotaAllocator {

    /** One lease's claim: its tier weight and its demand in bytes/s (infinite when unknown). */
    public record Claim(String id, int weight, double demand) {
        public static Claim unbounded(String id, int weight) {
            return new Claim(id, weight, Double.POSITIVE_INFINITY);
        }
    }

    private QuotaAllocator() {}

    /**
     * Bytes per second per claim id. Every share is at least 1 (0 would mean unlimited on the
     * wire); the shares add up to no more than the quota, give or take that rounding.
     */
    public static Map<String, Long> shares(long quota, List<Claim> claims) {
        Map<String, Long> out = new HashMap<>();
        List<Claim> open = new ArrayList<>(claims);
        double remaining = quota;
        while (!open.isEmpty()) {
            double weights =
                    open.stream().mapToInt(c -> Math.max(1, c.weight())).sum();
            double perWeight = remaining / weights;
            List<Claim> satisfied = open.stream()
                    .filter(c -> c.demand() <= perWeight * Math.max(1, c.weight()))
                    .toList();
            if (satisfied.isEmpty()) {
                for (Claim c : open) {
                    out.put(c.id(), Math.max(1, (long) Math.floor(perWeight * Math.max(1, c.weight()))));
                }
                break;
            }
            for (Claim c : satisfied) {
                long share = Math.max(1, (long) Math.ceil(c.demand()));
                out.put(c.id(), share);
                remaining = Math.max(0, remaining - share);
            }
            open.removeAll(satisfied);
        }
        return out;
    }
}
