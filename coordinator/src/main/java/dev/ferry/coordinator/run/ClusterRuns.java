package dev.ferry.coordinator.run;

import com.hazelcast.query.Predicates;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.Policy;
import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RunService} over the cluster's run store, run manager and jobs map. */
public final class ClusterRuns implements RunService {

    private final ReloadableSchedule schedule;
    private final JobStore jobs;
    private final RunStore runs;
    private final RunManager runManager;

    public ClusterRuns(ReloadableSchedule schedule, JobStore jobs, RunStore runs, RunManager runManager) {
        this.schedule = schedule;
        this.jobs = jobs;
        this.runs = runs;
        this.runManager = runManager;
    }

    @Override
    public Future<List<RunViews.Policy>> policies() {
        List<Future<RunViews.Policy>> views = schedule.current().policies().stream()
                .map(p -> runs.policyState(p.name()).map(s -> policyView(p, s)))
                .toList();
        return Future.all(views).map(all -> views.stream().map(Future::result).toList());
    }

    @Override
    public Future<RunViews.Run> sync(String policyName, boolean wait) {
        Future<RunRecord> started = runManager.trigger(policyName);
        Future<RunRecord> result = wait ? started.compose(r -> runManager.awaitEnd(r.id())) : started;
        return result.compose(r -> runManager.counts(r.id()).map(c -> runView(r, c)));
    }

    @Override
    public Future<RunViews.Policy> pause(String policyName) {
        return setPaused(policyName, true);
    }

    @Override
    public Future<RunViews.Policy> resume(String policyName) {
        return setPaused(policyName, false);
    }

    private Future<RunViews.Policy> setPaused(String policyName, boolean paused) {
        Policy p = schedule.current().policy(policyName).orElse(null);
        if (p == null) {
            return Future.failedFuture(ApiException.notFound("policy", policyName));
        }
        return runs.setPaused(policyName, paused).map(s -> policyView(p, s));
    }

    @Override
    public Future<RunViews.Run> run(String runId) {
        return runs.get(runId)
                .compose(r -> r.isEmpty()
                        ? Future.failedFuture(ApiException.notFound("run", runId))
                        : runManager.counts(runId).map(c -> runView(r.get(), c)));
    }

    @Override
    public Future<RunViews.Run> cancelRun(String runId, String actor) {
        return runManager
                .cancel(runId, actor)
                .compose(r -> runManager
                        .counts(runId)
                        .map(c -> runView(
                                new RunRecord(
                                        r.id(),
                                        r.policy(),
                                        "cancelling",
                                        r.planned(),
                                        r.upToDate(),
                                        r.errors(),
                                        r.startedAt(),
                                        r.endedAt()),
                                c)));
    }

    @Override
    public Future<List<RunViews.Job>> jobs(RunViews.JobQuery q) {
        return jobs.query(Predicates.alwaysTrue())
                .map(all -> all.stream()
                        .filter(j -> q.state() == null || j.state().apiName().equals(q.state()))
                        .filter(j -> q.policy() == null || j.policy().equals(q.policy()))
                        .filter(j -> q.tier() == null || j.tier().equals(q.tier()))
                        .sorted(Comparator.comparingLong(Job::updatedAt).reversed())
                        .limit(q.limit())
                        .map(ClusterRuns::jobView)
                        .toList());
    }

    /** A run as the API shows it: its job counts per state plus planned and up to date. */
    public static RunViews.Run runView(RunRecord r, Map<String, Integer> counts) {
        Map<String, Integer> all = new LinkedHashMap<>(counts);
        all.put("planned", r.planned());
        all.put("upToDate", r.upToDate());
        return new RunViews.Run(
                r.id(),
                r.policy(),
                r.state(),
                all,
                Instant.ofEpochMilli(r.startedAt()),
                r.endedAt() == 0 ? null : Instant.ofEpochMilli(r.endedAt()),
                r.errors().isEmpty() ? null : String.join("; ", r.errors()),
                r.warnings());
    }

    private static RunViews.Policy policyView(Policy p, PolicyState s) {
        return new RunViews.Policy(
                p.name(),
                p.tier().yamlName(),
                describeTrigger(p),
                s.paused(),
                p.source().registry() + " " + p.source().repositories(),
                p.targets().stream()
                        .map(t -> t.registry() + (t.prefix().isEmpty() ? "" : " prefix " + t.prefix()))
                        .toList(),
                s.lastRun());
    }

    private static String describeTrigger(Policy p) {
        List<String> parts = new ArrayList<>();
        if (p.trigger().interval() != null) {
            parts.add("every " + Durations.format(p.trigger().interval()));
        }
        if (p.trigger().cron() != null) {
            parts.add("cron " + p.trigger().cron());
        }
        if (p.trigger().event()) {
            parts.add("on events");
        }
        if (p.trigger().manual()) {
            parts.add("manual");
        }
        return String.join(", ", parts);
    }

    private static RunViews.Job jobView(Job j) {
        String source = j.spec().source().registry() + "/" + j.spec().source().repository() + "@" + j.sourceDigest();
        String target = j.spec().target().registry() + "/" + j.spec().target().repository() + ":" + j.tag();
        return new RunViews.Job(
                j.id(),
                j.policy(),
                j.runId(),
                j.tier(),
                j.state().apiName(),
                source,
                target,
                j.attempts(),
                j.lastError(),
                j.notBefore() == 0 ? null : Instant.ofEpochMilli(j.notBefore()),
                j.fencingToken());
    }
}
