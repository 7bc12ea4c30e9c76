package dev.ferry.coordinator.run;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.hazelcast.cluster.Cluster;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires interval and cron triggers. Every member arms the timers, but only the oldest
 * member acts on them, so a cluster triggers each policy once; if it leaves, the next
 * oldest takes over at its next tick.
 */
public final class PolicyTriggers {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyTriggers.class);
  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final Vertx vertx;
  private final Cluster cluster;
  private final RunManager runs;
  private final Clock clock;
  private final List<Long> timers = new ArrayList<>();

  public PolicyTriggers(Vertx vertx, Cluster cluster, RunManager runs, Clock clock) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.runs = runs;
    this.clock = clock;
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
    }
  }

  public synchronized void disarm() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void scheduleCron(Policy p) {
    ExecutionTime times = ExecutionTime.forCron(CRON.parse(p.trigger().cron()));
    Optional<Duration> next = times.timeToNextExecution(ZonedDateTime.now(clock));
    next.ifPresent(d -> {
      synchronized (this) {
        timers.add(vertx.setTimer(Math.max(1, d.toMillis()), id -> {
          fire(p);
          scheduleCron(p);
        }));
      }
    });
  }

  private void fire(Policy p) {
    if (!cluster.getMembers().iterator().next().localMember()) {
      return;
    }
    runs.trigger(p.name()).onFailure(e -> LOG.info("trigger of {} not run: {}", p.name(), e.getMessage()));
  }

}
