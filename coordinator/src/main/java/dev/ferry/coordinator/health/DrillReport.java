package dev.ferry.coordinator.health;

import java.io.Serializable;
import java.util.List;

/**
 * What a drill did: which routes switched, how many jobs it held, how long the catch-up
 * took once the registry was restored, and whether anything failed.
 *
 * @param phase {@code running} (registry out of service), {@code catching-up}, {@code passed}
 *     or {@code failed}
 * @param heldJobs jobs to the registry that were held when the drill ended
 * @param failedJobs jobs to the registry that failed during the drill and its catch-up
 * @param catchUpMillis from the drill's end to the verified catch-up; 0 until then
 */
public record DrillReport(
        String id,
        String registry,
        String actor,
        long startedAt,
        long durationMillis,
        List<Switch> switched,
        String phase,
        long endedAt,
        int heldJobs,
        int failedJobs,
        long catchUpMillis,
        String detail,
        int failedBefore)
        implements Serializable {

    /** A route whose active mirror changed when the drill began. */
    public record Switch(String route, String from, String to) implements Serializable {}

    public static final String RUNNING = "running";
    public static final String CATCHING_UP = "catching-up";
    public static final String PASSED = "passed";
    public static final String FAILED = "failed";

    public DrillReport {
        switched = List.copyOf(switched);
    }

    public boolean finished() {
        return PASSED.equals(phase) || FAILED.equals(phase);
    }

    DrillReport ended(long at, int held) {
        return new DrillReport(
                id,
                registry,
                actor,
                startedAt,
                durationMillis,
                switched,
                CATCHING_UP,
                at,
                held,
                failedJobs,
                0,
                "restored; catching up",
                failedBefore);
    }

    DrillReport finish(boolean passed, long at, int failedNow, String why) {
        return new DrillReport(
                id,
                registry,
                actor,
                startedAt,
                durationMillis,
                switched,
                passed ? PASSED : FAILED,
                endedAt,
                heldJobs,
                Math.max(0, failedNow - failedBefore),
                Math.max(0, at - endedAt),
                why,
                failedBefore);
    }
}
