package dev.ferry.coordinator.run;

import com.hazelcast.cluster.Cluster;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires interval and cron triggers. Every member arms the timers, but only the oldest
 * member acts on them, so a cluster triggers each policy once; if it leaves, the next
 * oldest takes over at its next tick.
 */
public final class PolicyTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyTriggers.class);

    private final Vertx vertx;
    private final Cluster cluster;
    private final RunManager runs;
    private final Clock clock;
    private final List<Long> timers = new ArrayList<>();
    private final List<CronTimer> cronTimers = new ArrayList<>();
    private final java.util.function.Function<Policy, io.vertx.core.Future<?>> driftCheck;

    public PolicyTriggers(Vertx vertx, Cluster cluster, RunManager runs, Clock clock) {
        this(vertx, cluster, runs, clock, null);
    }

    /** @param driftCheck runs a policy's drift check on its {@code trigger.verify} interval; may be null */
    public PolicyTriggers(
            Vertx vertx,
            Cluster cluster,
            RunManager runs,
            Clock clock,
            java.util.function.Function<Policy, io.vertx.core.Future<?>> driftCheck) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.runs = runs;
        this.clock = clock;
        this.driftCheck = driftCheck;
    }

    /** (Re)arms the timers of every policy of a schedule. */
    public synchronized void arm(Schedule schedule) {
        disarm();
        for (Policy p : schedule.policies()) {
            if (p.trigger().interval() != null) {
                timers.add(vertx.setPeriodic(p.trigger().interval().toMillis(), id -> fire(p)));
            }
            if (p.trigger().cron() != null) {
                scheduleCron(p);
            }
            if (p.trigger().verify() != null && driftCheck != null) {
                timers.add(vertx.setPeriodic(p.trigger().verify().toMillis(), id -> {
                    if (oldest()) {
                        driftCheck
                                .apply(p)
                                .onFailure(e -> LOG.warn("drift check of {} failed: {}", p.name(), e.getMessage()));
                    }
                }));
            }
        }
    }

    public synchronized void disarm() {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        cronTimers.forEach(CronTimer::stop);
        cronTimers.clear();
    }

    /** Cron in the trigger's timezone (UTC by default); see {@link CronSchedule} for daylight-saving changes. */
    private void scheduleCron(Policy p) {
        cronTimers.add(new CronTimer(
                        vertx,
                        clock,
                        CronSchedule.of(p.trigger().cron(), p.trigger().timezone()),
                        due -> fire(p))
                .start());
    }

    private boolean oldest() {
        return cluster.getMembers().iterator().next().localMember();
    }

    private void fire(Policy p) {
        if (!oldest()) {
            return;
        }
        runs.trigger(p.name()).onFailure(e -> LOG.info("trigger of {} not run: {}", p.name(), e.getMessage()));
    }
}
