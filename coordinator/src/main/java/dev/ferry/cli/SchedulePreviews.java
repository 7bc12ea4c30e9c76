package dev.ferry.cli;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.Planner;
import dev.ferry.coordinator.plan.RegistryStores;
import dev.ferry.coordinator.preview.PlanPreview;
import dev.ferry.coordinator.preview.PolicyPreview;
import dev.ferry.coordinator.preview.WriteRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Previews policies of a schedule in a Vert.x of its own, for {@code ferry plan} and {@code validate --check}. */
final class SchedulePreviews {

    /** A whole plan is given up after this long: every registry call has its own timeouts too. */
    static final long TIMEOUT_MINUTES = 30;

    private SchedulePreviews() {}

    /** Previews {@code policies} one after another; blocks until done. */
    static List<PolicyPreview> run(Schedule schedule, List<Policy> policies, WriteRecords records) throws Exception {
        return withPlanner(schedule, (vertx, registries) -> {
            PlanPreview preview = new PlanPreview(
                    schedule,
                    new Planner(vertx, schedule, registries, registry -> null),
                    registries,
                    records,
                    Clock.systemUTC());
            return inTurn(policies, preview::preview);
        });
    }

    /** The planner's own plan of every policy (no preview: no sizing, no history); blocks until done. */
    static List<Plan> plans(Schedule schedule) throws Exception {
        return withPlanner(schedule, (vertx, registries) -> {
            Planner planner = new Planner(vertx, schedule, registries, registry -> null);
            return inTurn(
                    schedule.policies(),
                    p -> planner.plan(PrewarmScope.narrow(p, schedule.routes()), PlanPreview.RUN_ID));
        });
    }

    private static <T> Future<List<T>> inTurn(List<Policy> policies, Function<Policy, Future<T>> each) {
        Future<List<T>> all = Future.succeededFuture(new ArrayList<>());
        for (Policy p : policies) {
            all = all.compose(done -> each.apply(p).map(one -> {
                done.add(one);
                return done;
            }));
        }
        return all;
    }

    private static <T> List<T> withPlanner(Schedule schedule, BiFunction<Vertx, RegistryStores, Future<List<T>>> work)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        RegistryStores registries = new RegistryStores(
                vertx,
                schedule,
                new SecretResolver(System::getenv, schedule.baseDirectory()),
                name -> dev.ferry.common.transport.RequestObserver.NONE);
        try {
            return work.apply(vertx, registries)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } finally {
            registries.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
