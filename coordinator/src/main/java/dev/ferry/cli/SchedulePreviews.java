package dev.ferry.cli;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.coordinator.plan.Planner;
import dev.ferry.coordinator.plan.RegistryStores;
import dev.ferry.coordinator.preview.PlanPreview;
import dev.ferry.coordinator.preview.PolicyPreview;
import dev.ferry.coordinator.preview.WriteRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Previews policies of a schedule in a Vert.x of its own, for {@code ferry plan} and {@code validate --check}. */
final class SchedulePreviews {

  /** A whole plan is given up after this long: every registry call has its own timeouts too. */
  static final long TIMEOUT_MINUTES = 30;

  private SchedulePreviews() {}

  /** Previews {@code policies} one after another; blocks until done. */
  static List<PolicyPreview> run(Schedule schedule, List<Policy> policies, WriteRecords records) throws Exception {
    Vertx vertx = Vertx.vertx();
    RegistryStores registries = new RegistryStores(vertx, schedule,
        new SecretResolver(System::getenv, schedule.baseDirectory()));
    try {
      PlanPreview preview = new PlanPreview(schedule, new Planner(vertx, schedule, registries), registries, records,
          Clock.systemUTC());
      Future<List<PolicyPreview>> all = Future.succeededFuture(new java.util.ArrayList<>());
      for (Policy p : policies) {
        all = all.compose(done -> preview.preview(p).map(one -> {
          done.add(one);
          return done;
        }));
      }
      return all.toCompletionStage().toCompletableFuture().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } finally {
      registries.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
