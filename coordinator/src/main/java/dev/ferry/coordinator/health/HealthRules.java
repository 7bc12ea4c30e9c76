package dev.ferry.coordinator.health;

import dev.ferry.config.model.FailoverConfig;
import dev.ferry.config.units.Durations;

/**
 * The state machine of a registry's health, as pure functions of the current entry, an
 * input and the time. {@link FailoverMonitor} and the API feed it; tests drive it directly.
 */
public final class HealthRules {

    /** How many recent probes the degraded rule looks at. */
    static final int WINDOW = 10;
    /** The degraded rule needs at least this many probes. */
    static final int MIN_PROBES = 3;

    private final FailoverConfig config;

    public HealthRules(FailoverConfig config) {
        this.config = config;
    }

    public FailoverConfig config() {
        return config;
    }

    /** Records a probe and settles the state. */
    public RegistryHealth afterProbe(RegistryHealth h, ProbeResult probe) {
        char mark = !probe.ok()
                ? 'f'
                : probe.latencyMillis() > config.degradedLatency().toMillis() ? 's' : 'o';
        String window = h.recent() + mark;
        if (window.length() > WINDOW) {
            window = window.substring(window.length() - WINDOW);
        }
        int failures = probe.ok() ? 0 : h.consecutiveFailures() + 1;
        return settle(h.withProbe(probe, failures, window), probe.at());
    }

    /** A worker saw its circuit breaker for this registry open. */
    public RegistryHealth breakerOpen(RegistryHealth h, String worker, long now) {
        return settle(h.withBreaker(worker, now), now);
    }

    /**
     * Recomputes the state from the probes, the operator's hold and the breaker reports, and
     * applies what a change means for routes: a registry that goes down or out of service
     * leaves its routes; one that comes back from down starts its recovery.
     */
    public RegistryHealth settle(RegistryHealth h, long now) {
        HealthState state;
        String why;
        if (h.manual() != null) {
            Manual m = h.manual();
            state = HealthState.OUT_OF_SERVICE;
            why = m.mode() + " by " + m.actor()
                    + (m.reason() == null || m.reason().isBlank() ? "" : ": " + m.reason());
        } else if (h.consecutiveFailures() >= config.downAfter()) {
            state = HealthState.DOWN;
            why = h.consecutiveFailures() + " probes in a row failed (last: "
                    + h.lastProbe().status() + ")";
        } else if (badProbes(h) >= 0) {
            state = HealthState.DEGRADED;
            why = badProbes(h) + " of the last " + h.recent().length() + " probes were slow (over "
                    + Durations.format(config.degradedLatency()) + ") or failed";
        } else if (h.breakerWorker() != null && now - h.breakerAt() < breakerMemoryMillis()) {
            state = HealthState.DEGRADED;
            why = "circuit breaker open on worker " + h.breakerWorker();
        } else {
            state = HealthState.HEALTHY;
            why = h.lastProbe() == null
                    ? "not probed yet"
                    : "answers probes (last " + h.lastProbe().latencyMillis() + " ms)";
        }
        RegistryHealth next = h.withState(state, why, now);
        boolean leaving = (state == HealthState.DOWN || state == HealthState.OUT_OF_SERVICE) && state != h.state();
        if (leaving) {
            return next.withRoutes(false).withRecovery(null);
        }
        if (h.state() == HealthState.DOWN && state != HealthState.DOWN && !next.inRoutes() && next.recovery() == null) {
            return next.withRecovery(Recovery.pending(now, false));
        }
        return next;
    }

    /** The number of bad probes when they reach the degraded share; -1 below it. */
    private int badProbes(RegistryHealth h) {
        String recent = h.recent();
        if (recent.length() < MIN_PROBES) {
            return -1;
        }
        int bad = (int) recent.chars().filter(c -> c != 'o').count();
        return bad * 100 >= config.degradedPercent() * recent.length() ? bad : -1;
    }

    private long breakerMemoryMillis() {
        return 3 * config.probeInterval().toMillis();
    }

    /** An operator takes the registry out of service (failover, drain or drill). */
    public RegistryHealth takeOut(RegistryHealth h, Manual manual, long now) {
        return settle(h.withManual(manual), now);
    }

    /** The answer to a failback request: the new entry, and whether the registry is back in its routes. */
    public record Failback(RegistryHealth health, boolean done, String message) {}

    /**
     * An operator asks for the registry back. Without {@code force}, only a verified catch-up
     * lets it back; before that, the request lifts the write hold, starts the catch-up if none
     * runs, and is refused with the reason.
     */
    public Failback failback(RegistryHealth h, boolean force, long now) {
        if (h.manual() == null && h.inRoutes()) {
            return new Failback(h, true, h.name() + " is already in its routes");
        }
        if (force) {
            RegistryHealth back =
                    settle(h.withManual(null).withRecovery(null), now).withRoutes(true);
            return new Failback(back, true, h.name() + " is back in its routes (forced, without a verified catch-up)");
        }
        Recovery r = h.recovery();
        if (r != null && r.verified() && h.state() != HealthState.DOWN) {
            RegistryHealth back =
                    settle(h.withManual(null).withRecovery(null), now).withRoutes(true);
            return new Failback(back, true, h.name() + " is back in its routes (catch-up verified)");
        }
        RegistryHealth lifted = settle(h.withManual(null), now);
        if (lifted.state() == HealthState.DOWN) {
            return new Failback(
                    lifted,
                    false,
                    h.name() + " is down (" + lifted.reason() + "); it must answer probes before it can catch up");
        }
        if (r == null || Recovery.FAILED.equals(r.phase())) {
            lifted = lifted.withRecovery(Recovery.pending(now, false));
            return new Failback(
                    lifted,
                    false,
                    "catch-up started for " + h.name()
                            + (r == null ? "" : " (the last one failed: " + r.detail() + ")")
                            + "; fail back when it is verified (ferry ctl registries), or use --force");
        }
        return new Failback(
                lifted,
                false,
                "catch-up of " + h.name() + " is " + r.phase()
                        + (r.runs().isEmpty() ? "" : " (runs " + String.join(", ", r.runs()) + ")")
                        + "; fail back when it is verified, or use --force");
    }

    /** A drill ends: the hold is lifted and the recovery that proves the catch-up starts. */
    public RegistryHealth endDrill(RegistryHealth h, long now) {
        return settle(h.withManual(null), now).withRecovery(Recovery.pending(now, true));
    }

    /**
     * Whether a verified mirror goes back into its routes by itself: after a drill at once,
     * otherwise once it has been healthy for {@code failbackAfter} since the verification.
     */
    public boolean readyForFailback(RegistryHealth h, long now) {
        Recovery r = h.recovery();
        if (h.manual() != null || r == null || !r.verified() || h.state() != HealthState.HEALTHY) {
            return false;
        }
        long stableSince = Math.max(r.verifiedAt(), h.since());
        return r.drill() || now - stableSince >= config.failbackAfter().toMillis();
    }

    /** Whether a failed recovery is due for another try. */
    public boolean retryDue(RegistryHealth h, long now) {
        Recovery r = h.recovery();
        return r != null
                && Recovery.FAILED.equals(r.phase())
                && now - r.verifiedAt()
                        >= Math.max(
                                config.failbackAfter().toMillis(),
                                config.probeInterval().toMillis());
    }
}
