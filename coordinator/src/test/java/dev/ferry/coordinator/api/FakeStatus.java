package dev.ferry.coordinator.api;

import dev.ferry.coordinator.lease.SeenWorkers;
import dev.ferry.coordinator.status.StatusService;
import dev.ferry.coordinator.status.StatusView;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A two-member cluster with one worker, one queued job and one active run. */
final class FakeStatus implements StatusService {

    volatile boolean ready = true;
    volatile RuntimeException statusFailure;

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public Future<StatusView> status() {
        if (statusFailure != null) {
            return Future.failedFuture(statusFailure);
        }
        Map<String, Map<String, Integer>> queues = new LinkedHashMap<>();
        queues.put("high", Map.of("queued", 1));
        return Future.succeededFuture(new StatusView(
                "m-1",
                List.of("m-1", "m-2"),
                List.of(new SeenWorkers.Worker("w-1", "us-east", Fakes.T1, 2)),
                queues,
                List.of(FakeRuns.running("apps")),
                ready,
                List.of(FakeHealth.registry("mirror-eu", "healthy", true)),
                List.of(FakeHealth.route("ci-eu", "mirror-eu"))));
    }
}
