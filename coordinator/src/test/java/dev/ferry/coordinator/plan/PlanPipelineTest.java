package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.MirrorTier;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmSpec;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.SourceSpec;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.model.Tier;
import dev.ferry.config.model.Trigger;
import dev.ferry.config.model.VerifySpec;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The steps of a run's plan, in order, with fakes for each step. */
class PlanPipelineTest {

    private static final SourceSpec SOURCE = new SourceSpec("hub", List.of("team/*"), List.of(), null);
    private static final Policy PLAIN = new Policy(
            "plain",
            SOURCE,
            List.of(new TargetSpec("edge", "m/"), new TargetSpec("cold-edge", "m/")),
            Trigger.manualOnly(),
            Tier.NORMAL,
            OnConflict.FAIL,
            List.of(),
            List.of(),
            false,
            VerifySpec.none(),
            OnDrift.REPORT,
            false);
    private static final Policy WARM = new Policy(
            "warm",
            SOURCE,
            List.of(new TargetSpec("edge", "m/"), new TargetSpec("cold-edge", "m/")),
            Trigger.manualOnly(),
            Tier.NORMAL,
            OnConflict.FAIL,
            List.of(),
            List.of(),
            false,
            VerifySpec.none(),
            OnDrift.REPORT,
            false,
            new PrewarmSpec(2));
    private static final List<RouteConfig> ROUTES = List.of(new RouteConfig(
            "ci",
            "eu",
            List.of("edge", "cold-edge"),
            List.of(),
            List.of(),
            Duration.ofMinutes(5),
            Map.of("cold-edge", MirrorTier.COLD)));

    private final List<String> steps = new ArrayList<>();
    private final AtomicReference<Policy> planned = new AtomicReference<>();
    private final AtomicReference<Policy> ranked = new AtomicReference<>();
    private final AtomicReference<Policy> cleaned = new AtomicReference<>();

    private static PlannedJob job(String tag) {
        return new PlannedJob("id-" + tag, "normal", "edge", "m/team/app", tag, "sha256:" + tag, null);
    }

    private PlanPipeline pipeline(
            List<PlannedJob> jobs,
            List<String> planErrors,
            List<String> pinnedTags,
            List<String> deleteFailures,
            List<String> expiryFailures) {
        return new PlanPipeline(
                () -> ROUTES,
                (policy, runId) -> {
                    steps.add("plan");
                    planned.set(policy);
                    return Future.succeededFuture(new Plan(policy.name(), runId, jobs, 3, planErrors));
                },
                (policy, plan) -> {
                    steps.add("prewarm");
                    ranked.set(policy);
                    return Future.succeededFuture(plan);
                },
                () -> {
                    steps.add("pins");
                    return Future.succeededFuture(j -> pinnedTags.contains(j.tag()));
                },
                (policy, runId) -> {
                    steps.add("deletes");
                    cleaned.set(policy);
                    return Future.succeededFuture(deleteFailures);
                },
                (policy, runId) -> {
                    steps.add("expiry");
                    return Future.succeededFuture(expiryFailures);
                });
    }

    @Test
    void theStepsRunInOrderAndAPinnedTagsJobIsDroppedAndCountedAsUpToDate() {
        Plan plan = pipeline(List.of(job("v1"), job("v2"), job("v3")), List.of(), List.of("v2"), List.of(), List.of())
                .plan(PLAIN, "run-1")
                .result();

        assertThat(steps).containsExactly("plan", "prewarm", "pins", "deletes", "expiry");
        assertThat(plan.jobs()).extracting(PlannedJob::tag).containsExactly("v1", "v3");
        assertThat(plan.upToDate()).isEqualTo(4);
        assertThat(plan.runId()).isEqualTo("run-1");
        assertThat(plan.complete()).isTrue();
    }

    @Test
    void failedDeletesAndExpiriesBecomeErrorLinesAfterThePlannersOwn() {
        Plan plan = pipeline(
                        List.of(job("v1")),
                        List.of("hub: team/app: timed out"),
                        List.of(),
                        List.of("delete edge m/team/old:v0: 503"),
                        List.of("expire edge m/team/app:v0: 401"))
                .plan(PLAIN, "run-2")
                .result();

        assertThat(plan.errors())
                .containsExactly(
                        "hub: team/app: timed out", "delete edge m/team/old:v0: 503", "expire edge m/team/app:v0: 401");
        assertThat(plan.jobs()).extracting(PlannedJob::tag).containsExactly("v1");
        assertThat(plan.upToDate()).isEqualTo(3);
    }

    @Test
    void aPrewarmingPolicyPlansAndCleansOnlyTheTargetsItWarmsButRanksWithAllOfThem() {
        pipeline(List.of(job("v1")), List.of(), List.of(), List.of(), List.of())
                .plan(WARM, "run-3")
                .result();

        assertThat(planned.get().targets()).extracting(TargetSpec::registry).containsExactly("edge");
        assertThat(cleaned.get().targets()).extracting(TargetSpec::registry).containsExactly("edge");
        assertThat(ranked.get().targets()).extracting(TargetSpec::registry).containsExactly("edge", "cold-edge");
    }

    @Test
    void aFailedPlanFailsThePipelineWithoutCleaningUp() {
        PlanPipeline failing = new PlanPipeline(
                () -> ROUTES,
                (policy, runId) -> Future.failedFuture(new IllegalStateException("no schedule")),
                (policy, plan) -> Future.succeededFuture(plan),
                () -> Future.succeededFuture(j -> false),
                (policy, runId) -> {
                    steps.add("deletes");
                    return Future.succeededFuture(List.of());
                },
                (policy, runId) -> Future.succeededFuture(List.of()));

        Future<Plan> plan = failing.plan(PLAIN, "run-4");

        assertThat(plan.failed()).isTrue();
        assertThat(plan.cause()).hasMessage("no schedule");
        assertThat(steps).isEmpty();
    }
}
