package dev.ferry.coordinator.plan;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.RouteConfig;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a run does before it enqueues: plan the policy, cut the plan to the most-pulled tags
 * (pre-warm), drop the jobs of pinned tags, then propagate deletes and expire tags past their
 * TTL. A pre-warming policy plans, deletes and expires only at the targets it warms (route
 * tiers, {@link PrewarmScope#narrow}); pre-warm ranks its tags with the whole policy, so pulls
 * at every target count.
 *
 * <p>Each step is a seam (the steps live in {@code pull} and {@code history}, which depend on
 * this package), so the order and the arithmetic are tested without Hazelcast or registries.
 * A failed delete or expiry is one more error line of the plan, never a failed run.
 */
public final class PlanPipeline {

    /** The planner: {@link Planner#plan}. */
    public interface Planning {
        Future<Plan> plan(Policy policy, String runId);
    }

    /** Pre-warm: the plan, or a cut of it for a pre-warming policy. */
    public interface Ranking {
        Future<Plan> rank(Policy policy, Plan plan);
    }

    /** Which planned jobs would write a pinned tag. */
    public interface PinnedTags {
        Future<Predicate<PlannedJob>> pinned();
    }

    /** A clean-up after planning (deletes, expiry): the lines of what failed, empty when all went well. */
    public interface Cleanup {
        Future<List<String>> run(Policy policy, String runId);
    }

    private final Supplier<List<RouteConfig>> routes;
    private final Planning planner;
    private final Ranking prewarm;
    private final PinnedTags pins;
    private final Cleanup deletes;
    private final Cleanup expiry;

    /** @param routes the current schedule's routes, read at every run (they follow reloads) */
    public PlanPipeline(
            Supplier<List<RouteConfig>> routes,
            Planning planner,
            Ranking prewarm,
            PinnedTags pins,
            Cleanup deletes,
            Cleanup expiry) {
        this.routes = routes;
        this.planner = planner;
        this.prewarm = prewarm;
        this.pins = pins;
        this.deletes = deletes;
        this.expiry = expiry;
    }

    /** The plan of one run of {@code policy}; a run's {@code PlanSource}. */
    public Future<Plan> plan(Policy policy, String runId) {
        Policy warmed = PrewarmScope.narrow(policy, routes.get());
        return planner.plan(warmed, runId)
                .compose(plan -> prewarm.rank(policy, plan))
                .compose(plan -> pins.pinned().map(pinned -> withoutPinned(plan, pinned)))
                .compose(plan -> deletes.run(warmed, runId).map(failed -> withErrors(plan, failed)))
                .compose(plan -> expiry.run(warmed, runId).map(failed -> withErrors(plan, failed)));
    }

    /** A pinned tag is left as it is: its job is dropped and the tag counted as up to date. */
    static Plan withoutPinned(Plan plan, Predicate<PlannedJob> pinned) {
        List<PlannedJob> kept = plan.jobs().stream().filter(pinned.negate()).toList();
        if (kept.size() == plan.jobs().size()) {
            return plan;
        }
        return plan.with(kept, plan.upToDate() + plan.jobs().size() - kept.size(), plan.errors());
    }

    static Plan withErrors(Plan plan, List<String> more) {
        return more.isEmpty()
                ? plan
                : plan.with(
                        plan.jobs(),
                        plan.upToDate(),
                        Stream.concat(plan.errors().stream(), more.stream()).toList());
    }
}
