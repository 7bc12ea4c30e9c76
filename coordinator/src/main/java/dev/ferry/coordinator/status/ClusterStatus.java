package dev.ferry.coordinator.status;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicates;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.coordinator.health.HealthService;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.lease.SeenWorkers;
import dev.ferry.coordinator.run.ClusterRuns;
import dev.ferry.coordinator.run.RunStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link StatusService} over the Hazelcast member, the jobs and runs, health and the workers seen. */
public final class ClusterStatus implements StatusService {

    private final HazelcastInstance hazelcast;
    private final ReloadableSchedule schedule;
    private final JobStore jobs;
    private final RunStore runs;
    private final HealthService health;
    private final SeenWorkers workers;

    public ClusterStatus(
            HazelcastInstance hazelcast,
            ReloadableSchedule schedule,
            JobStore jobs,
            RunStore runs,
            HealthService health,
            SeenWorkers workers) {
        this.hazelcast = hazelcast;
        this.schedule = schedule;
        this.jobs = jobs;
        this.runs = runs;
        this.health = health;
        this.workers = workers;
    }

    @Override
    public boolean ready() {
        return hazelcast.getLifecycleService().isRunning() && schedule.current() != null;
    }

    @Override
    public Future<StatusView> status() {
        List<String> members = hazelcast.getCluster().getMembers().stream()
                .map(m -> m.getAddress().toString())
                .toList();
        String member = hazelcast.getCluster().getLocalMember().getAddress().toString();
        return jobs.query(Predicates.alwaysTrue()).compose(all -> {
            Map<String, Map<String, Integer>> queues = new LinkedHashMap<>();
            for (Job j : all) {
                queues.computeIfAbsent(j.tier(), t -> new LinkedHashMap<>())
                        .merge(j.state().apiName(), 1, Integer::sum);
            }
            return runs.active()
                    .compose(active -> health.registries()
                            .compose(registries -> health.routes(null, null, null)
                                    .map(routes -> new StatusView(
                                            member,
                                            members,
                                            workers.list(),
                                            queues,
                                            active.stream()
                                                    .map(r -> ClusterRuns.runView(r, Map.of()))
                                                    .toList(),
                                            ready(),
                                            registries,
                                            routes))));
        });
    }
}
