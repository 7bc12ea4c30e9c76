package dev.ferry.coordinator.lease;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Smooth weighted round robin over tiers: with weights 8:4:2:1 and every tier busy, out of
 * 15 picks critical gets 8, high 4, normal 2 and bulk 1, interleaved rather than in bursts.
 * Tiers with nothing ready are skipped without losing their place. Not thread-safe. (Public only
 * so that load-tests' {@code LeaseSelectionBenchmark} can measure it.)
 */
public final class TierPicker {

    private final Map<String, Integer> weights;
    private final Map<String, Integer> current = new LinkedHashMap<>();

    public TierPicker(Map<String, Integer> weights) {
        this.weights = new LinkedHashMap<>(weights);
        weights.keySet().forEach(t -> current.put(t, 0));
    }

    /** The next tier among those for which {@code ready} holds, or null when none is ready. */
    public String next(Predicate<String> ready) {
        int total = 0;
        String best = null;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (!ready.test(e.getKey())) {
                continue;
            }
            int c = current.get(e.getKey()) + e.getValue();
            current.put(e.getKey(), c);
            total += e.getValue();
            if (best == null || c > current.get(best)) {
                best = e.getKey();
            }
        }
        if (best != null) {
            current.put(best, current.get(best) - total);
        }
        return best;
    }
}
