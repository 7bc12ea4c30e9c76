package dev.ferry.coordinator.history;

import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/** {@link HistoryService} over the cluster's tag history, pins, rollbacks and drift checks. */
public final class ClusterHistory implements HistoryService {

    private final ReloadableSchedule schedule;
    private final TagHistory history;
    private final PinStore pins;
    private final Rollbacks rollbacks;
    private final RepositoryRollback repositoryRollback;
    private final DriftService drift;
    private final Clock clock;

    public ClusterHistory(
            ReloadableSchedule schedule,
            TagHistory history,
            PinStore pins,
            Rollbacks rollbacks,
            DriftService drift,
            Clock clock) {
        this.schedule = schedule;
        this.history = history;
        this.pins = pins;
        this.rollbacks = rollbacks;
        this.repositoryRollback = new RepositoryRollback(history, rollbacks);
        this.drift = drift;
        this.clock = clock;
    }

    @Override
    public Future<List<TagWrite>> history(String registry, String repository, String tag, int limit) {
        return history.list(registry, repository, tag, limit);
    }

    @Override
    public Future<Rollbacks.Result> rollbackTag(String registry, String repository, String tag, String to) {
        return rollbacks.tag(registry, repository, tag, to);
    }

    @Override
    public Future<Rollbacks.Result> rollbackRun(String runId) {
        return rollbacks.run(runId);
    }

    @Override
    public Future<Rollbacks.Result> rollbackRepository(
            String registry, String repository, java.time.Instant at, String beforeRun) {
        return at != null
                ? repositoryRollback.at(registry, repository, at)
                : repositoryRollback.beforeRun(registry, repository, beforeRun);
    }

    @Override
    public Future<List<Drift>> drift(String policy) {
        if (policy != null && schedule.current().policy(policy).isEmpty()) {
            return Future.failedFuture(ApiException.notFound("policy", policy));
        }
        return drift.list(policy);
    }

    @Override
    public Future<DriftService.Report> checkDrift(String policy) {
        return schedule.current()
                .policy(policy)
                .map(drift::check)
                .orElseGet(() -> Future.failedFuture(ApiException.notFound("policy", policy)));
    }

    @Override
    public Future<List<Pin>> pins() {
        return pins.active();
    }

    @Override
    public Future<Pin> unpin(String registry, String repository, String tag) {
        return pins.get(registry, repository, tag)
                .compose(held -> held == null
                        ? Future.failedFuture(ApiException.notFound("pin of", registry + "/" + repository + ":" + tag))
                        : pins.set(new Pin(
                                        registry,
                                        repository,
                                        tag,
                                        null,
                                        "unpinned",
                                        Math.max(clock.millis(), held.time() + 1)))
                                .map(held));
    }
}
