package dev.ferry.config.model;

import java.time.Duration;

/**
 * When a policy runs. A policy may combine a schedule (an interval or a cron expression,
 * not both) with events and manual runs.
 *
 * @param interval null when not interval-driven
 * @param cron a UNIX cron expression, or null
 * @param verify how often to check the policy's targets for drift, or null for never
 * @param timezone the zone {@code cron} is read in; never null, UTC by default
 */
public record Trigger(
        Duration interval, String cron, boolean event, boolean manual, Duration verify, java.time.ZoneId timezone) {

    public Trigger {
        timezone = timezone != null ? timezone : java.time.ZoneOffset.UTC;
    }

    /** A trigger whose cron, if any, is read in UTC. */
    public Trigger(Duration interval, String cron, boolean event, boolean manual, Duration verify) {
        this(interval, cron, event, manual, verify, null);
    }

    public static Trigger manualOnly() {
        return new Trigger(null, null, false, true, null);
    }
}
