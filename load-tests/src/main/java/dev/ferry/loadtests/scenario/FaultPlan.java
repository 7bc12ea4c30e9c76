package dev.ferry.loadtests.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The chaos soak's faults, drawn from a seed before the run: the same seed and duration give the
 * same faults at the same offsets. One fault every {@link #MIN_GAP}–{@link #MAX_GAP} seconds
 * from {@link #FIRST} on, the kind uniformly at random, except that coordinator members are
 * killed at least {@link #MEMBER_SPACING} seconds apart (so the cluster has re-replicated its
 * maps after the last restart before it loses another member).
 */
final class FaultPlan {

    static final double FIRST = 20;
    static final double MIN_GAP = 8;
    static final double MAX_GAP = 20;
    static final double MEMBER_SPACING = 60;

    /** The kinds of fault, with how long each keeps its victim down (seconds, a range). */
    enum Kind {
        WORKER_KILL("kill -9 a worker, restart it", 1, 4),
        MEMBER_KILL("kill -9 a coordinator member, restart it", 2, 6),
        TARGET_STOP("stop a target registry, restart it", 3, 10),
        THROTTLE("429 burst (Retry-After: 1) at the source", 2, 6),
        CORRUPT("corrupt blob bytes from the source", 2, 6);

        final String description;
        final double minLength;
        final double maxLength;

        Kind(String description, double minLength, double maxLength) {
            this.description = description;
            this.minLength = minLength;
            this.maxLength = maxLength;
        }
    }

    /** One fault: {@code index} picks the worker, member or target (0-based); unused for the proxy's faults. */
    record Fault(double atSeconds, Kind kind, int index, double lengthSeconds) {}

    private FaultPlan() {}

    static List<Fault> of(long seed, int durationSeconds, int members, int workers, int targets) {
        SplittableRandom random = new SplittableRandom(seed);
        Kind[] kinds = Kind.values();
        List<Fault> faults = new ArrayList<>();
        double lastMemberKill = -MEMBER_SPACING;
        for (double at = FIRST; at < durationSeconds; at += random.nextDouble(MIN_GAP, MAX_GAP)) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            if (kind == Kind.MEMBER_KILL && (members < 2 || at - lastMemberKill < MEMBER_SPACING)) {
                kind = Kind.WORKER_KILL;
            }
            if (kind == Kind.MEMBER_KILL) {
                lastMemberKill = at;
            }
            int index = switch (kind) {
                case WORKER_KILL -> random.nextInt(workers);
                case MEMBER_KILL -> random.nextInt(members);
                case TARGET_STOP -> random.nextInt(targets);
                case THROTTLE, CORRUPT -> 0;
            };
            double length = Math.round(random.nextDouble(kind.minLength, kind.maxLength) * 10) / 10.0;
            faults.add(new Fault(Math.round(at * 10) / 10.0, kind, index, length));
        }
        return faults;
    }
}
