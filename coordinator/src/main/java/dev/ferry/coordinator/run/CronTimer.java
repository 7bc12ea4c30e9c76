package dev.ferry.coordinator.run;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fires a {@link CronSchedule} on Vert.x timers, each armed from the {@link Clock} for the next
 * firing. The next firing is counted from the later of now and the firing just made, so a timer
 * that wakes a little early (or a clock that a test holds still) never fires one instant twice.
 */
final class CronTimer {

    private final Vertx vertx;
    private final Clock clock;
    private final CronSchedule schedule;
    private final Consumer<Instant> fire;
    private Instant last = Instant.MIN;
    private long timer = -1;
    private boolean stopped;

    /** @param fire called on the event loop with the instant the firing was due */
    CronTimer(Vertx vertx, Clock clock, CronSchedule schedule, Consumer<Instant> fire) {
        this.vertx = vertx;
        this.clock = clock;
        this.schedule = schedule;
        this.fire = fire;
    }

    synchronized CronTimer start() {
        arm();
        return this;
    }

    synchronized void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private synchronized void arm() {
        if (stopped) {
            return;
        }
        Instant now = clock.instant();
        Optional<Instant> next = schedule.nextAfter(now.isAfter(last) ? now : last);
        next.ifPresent(due -> timer = vertx.setTimer(Math.max(1, due.toEpochMilli() - now.toEpochMilli()), id -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                last = due;
            }
            try {
                fire.accept(due);
            } finally {
                arm();
            }
        }));
    }
}
