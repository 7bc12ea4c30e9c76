package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.history.Drift;
import dev.ferry.coordinator.history.DriftService;
import dev.ferry.coordinator.history.HistoryService;
import dev.ferry.coordinator.history.Pin;
import dev.ferry.coordinator.history.Rollbacks;
import dev.ferry.coordinator.history.TagWrite;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Tag writes, pins and drift the test puts in; rollbacks answer fixed results. */
final class FakeHistory implements HistoryService {

    final List<TagWrite> writes = new ArrayList<>();
    final List<Pin> pinList = new ArrayList<>();
    final List<Drift> drifted = new ArrayList<>();
    volatile String lastHistoryQuery;
    volatile String lastRollback;

    @Override
    public Future<List<TagWrite>> history(String registry, String repository, String tag, int limit) {
        lastHistoryQuery = registry + "|" + repository + "|" + tag + "|" + limit;
        return Future.succeededFuture(writes.stream().limit(limit).toList());
    }

    @Override
    public Future<Rollbacks.Result> rollbackTag(String registry, String repository, String tag, String to) {
        lastRollback = registry + "|" + repository + "|" + tag + "|" + to;
        return Future.succeededFuture(new Rollbacks.Result(
                "rollback-1",
                List.of(new Rollbacks.Item(registry, repository, tag, "sha256:new", "sha256:old", "job-9")),
                List.of()));
    }

    @Override
    public Future<Rollbacks.Result> rollbackRun(String runId) {
        lastRollback = "run|" + runId;
        return runId.equals("r-404")
                ? Future.failedFuture(ApiException.notFound("run with tag writes", runId))
                : Future.succeededFuture(new Rollbacks.Result(
                        "rollback-2",
                        List.of(),
                        List.of("mirror/app:v9: the run created this tag; Ferry does not delete tags")));
    }

    @Override
    public Future<Rollbacks.Result> rollbackRepository(
            String registry, String repository, java.time.Instant at, String beforeRun) {
        lastRollback = "repository|" + registry + "|" + repository + "|" + at + "|" + beforeRun;
        return Future.succeededFuture(new Rollbacks.Result("rollback-3", List.of(), List.of()));
    }

    @Override
    public Future<List<Drift>> drift(String policy) {
        if (policy != null && !policy.equals("apps")) {
            return Future.failedFuture(ApiException.notFound("policy", policy));
        }
        return Future.succeededFuture(List.copyOf(drifted));
    }

    @Override
    public Future<DriftService.Report> checkDrift(String policy) {
        return policy.equals("apps")
                ? Future.succeededFuture(new DriftService.Report("apps", 3, List.copyOf(drifted)))
                : Future.failedFuture(ApiException.notFound("policy", policy));
    }

    @Override
    public Future<List<Pin>> pins() {
        return Future.succeededFuture(List.copyOf(pinList));
    }

    @Override
    public Future<Pin> unpin(String registry, String repository, String tag) {
        for (var p : pinList) {
            if (p.registry().equals(registry)
                    && p.repository().equals(repository)
                    && p.tag().equals(tag)) {
                pinList.remove(p);
                return Future.succeededFuture(p);
            }
        }
        return Future.failedFuture(ApiException.notFound("pin of", registry + "/" + repository + ":" + tag));
    }
}
