package dev.ferry.coordinator.health;

import java.io.Serializable;

/**
 * The health of one registry as the cluster agrees on it: one entry of a replicated map,
 * changed only under the entry's lock (see {@link HealthStore}).
 *
 * @param since when {@code state} last changed
 * @param inRoutes whether the registry may be a route's active mirror; false from a failover
 *     until its failback
 * @param consecutiveFailures probes failed in a row
 * @param recent the last probes, oldest first: {@code o} ok, {@code s} slow, {@code f} failed
 * @param lastProbe null before the first probe
 * @param manual set while an operator holds it out of service
 * @param recovery set while it works its way back into its routes
 * @param breakerWorker the last worker that reported its circuit breaker open, at {@code breakerAt}
 */
public record RegistryHealth(
        String name,
        HealthState state,
        String reason,
        long since,
        boolean inRoutes,
        int consecutiveFailures,
        String recent,
        ProbeResult lastProbe,
        Manual manual,
        Recovery recovery,
        String breakerWorker,
        long breakerAt)
        implements Serializable {

    static RegistryHealth initial(String name, long now) {
        return new RegistryHealth(
                name, HealthState.HEALTHY, "not probed yet", now, true, 0, "", null, null, null, null, 0);
    }

    /** Jobs that write to this registry wait (held) while this is non-null. */
    public String holdsWrites() {
        if (state == HealthState.DOWN) {
            return "registry " + name + " is down: " + reason;
        }
        if (manual != null) {
            return "registry " + name + " is out of service (" + manual.mode() + " by " + manual.actor() + ")";
        }
        return null;
    }

    RegistryHealth withProbe(ProbeResult probe, int failures, String window) {
        return new RegistryHealth(
                name,
                state,
                reason,
                since,
                inRoutes,
                failures,
                window,
                probe,
                manual,
                recovery,
                breakerWorker,
                breakerAt);
    }

    RegistryHealth withManual(Manual m) {
        return new RegistryHealth(
                name,
                state,
                reason,
                since,
                inRoutes,
                consecutiveFailures,
                recent,
                lastProbe,
                m,
                recovery,
                breakerWorker,
                breakerAt);
    }

    RegistryHealth withRecovery(Recovery r) {
        return new RegistryHealth(
                name,
                state,
                reason,
                since,
                inRoutes,
                consecutiveFailures,
                recent,
                lastProbe,
                manual,
                r,
                breakerWorker,
                breakerAt);
    }

    RegistryHealth withRoutes(boolean in) {
        return new RegistryHealth(
                name,
                state,
                reason,
                since,
                in,
                consecutiveFailures,
                recent,
                lastProbe,
                manual,
                recovery,
                breakerWorker,
                breakerAt);
    }

    RegistryHealth withBreaker(String worker, long at) {
        return new RegistryHealth(
                name,
                state,
                reason,
                since,
                inRoutes,
                consecutiveFailures,
                recent,
                lastProbe,
                manual,
                recovery,
                worker,
                at);
    }

    RegistryHealth withState(HealthState s, String why, long at) {
        return new RegistryHealth(
                name,
                s,
                why,
                s == state ? since : at,
                inRoutes,
                consecutiveFailures,
                recent,
                lastProbe,
                manual,
                recovery,
                breakerWorker,
                breakerAt);
    }
}
