package dev.ferry.coordinator.health;

import java.io.Serializable;
import java.util.List;

/**
 * A mirror's way back into its routes after an outage or a manual failover: a catch-up
 * resync of every policy that targets it (at critical tier), a drift check, then a stable
 * period of {@code failover.failbackAfter}.
 *
 * @param phase {@code pending} (not started), {@code catching-up}, {@code verifying},
 *     {@code verified} (waiting out the stable period, or for an operator), {@code failed}
 *     (retried after the stable period)
 * @param runs the catch-up runs
 * @param drill set when the recovery ends a drill: verified means back in routes at once
 * @param joined some catch-up run was one already going (triggers coalesce), planned before the
 *     recovery began: another round follows it, so that what changed since is planned too
 */
public record Recovery(
        String phase, List<String> runs, long startedAt, long verifiedAt, String detail, boolean drill, boolean joined)
        implements Serializable {

    public static final String PENDING = "pending";
    public static final String CATCHING_UP = "catching-up";
    public static final String VERIFYING = "verifying";
    public static final String VERIFIED = "verified";
    public static final String FAILED = "failed";

    public Recovery {
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    static Recovery pending(long now, boolean drill) {
        return new Recovery(PENDING, List.of(), now, 0, null, drill, false);
    }

    Recovery phase(String next, long now, String why) {
        return new Recovery(
                next,
                runs,
                startedAt,
                VERIFIED.equals(next) || FAILED.equals(next) ? now : verifiedAt,
                why,
                drill,
                joined);
    }

    Recovery catchingUp(List<String> runIds) {
        return catchingUp(runIds, false);
    }

    Recovery catchingUp(List<String> runIds, boolean joinedRun) {
        return new Recovery(CATCHING_UP, runIds, startedAt, 0, null, drill, joinedRun);
    }

    /** Another round of catch-up runs, after one that joined a run already going. */
    Recovery nextRound() {
        return new Recovery(
                PENDING,
                List.of(),
                startedAt,
                0,
                "another round: a joined run was planned before the outage" + " ended",
                drill,
                false);
    }

    public boolean verified() {
        return VERIFIED.equals(phase);
    }
}
