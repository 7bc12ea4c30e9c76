package dev.ferry.coordinator.run;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * A five-field cron expression read in a time zone ({@code trigger.timezone}, UTC by default):
 * {@code 0 9 * * *} in Europe/Berlin fires at 09:00 Berlin time, 08:00 UTC in winter and 07:00
 * UTC in summer. On a daylight-saving change, a local time that does not exist (spring forward:
 * {@code 30 2 * * *} in Berlin on the last Sunday of March) fires once, at the end of the gap
 * (03:00 local), as Vixie cron does, instead of being skipped that day; a local time that occurs
 * twice (fall back) fires once, at its first occurrence. {@code CronTimerTest} pins both down.
 */
public final class CronSchedule {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** No zone skips more than a day. */
    private static final int MAX_GAP_MINUTES = 24 * 60;

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** Parses {@code cron} (the loader has validated it). */
    public static CronSchedule of(String cron, ZoneId zone) {
        return new CronSchedule(ExecutionTime.forCron(CRON.parse(cron)), zone);
    }

    /** The first firing strictly after {@code after}; empty when the expression never fires again. */
    public Optional<Instant> nextAfter(Instant after) {
        Optional<Instant> next =
                times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
        ZoneOffsetTransition gap = zone.getRules().nextTransition(after);
        if (gap != null
                && gap.isGap()
                && (next.isEmpty() || !gap.getInstant().isAfter(next.get()))
                && matchesWithin(gap)) {
            return Optional.of(gap.getInstant());
        }
        return next;
    }

    /** True when a local minute the gap skips (e.g. 02:00 to 02:59) matches the expression. */
    private boolean matchesWithin(ZoneOffsetTransition gap) {
        LocalDateTime minute = gap.getDateTimeBefore();
        for (int i = 0; i < MAX_GAP_MINUTES && minute.isBefore(gap.getDateTimeAfter()); i++) {
            if (times.isMatch(ZonedDateTime.ofStrict(minute, gap.getOffsetBefore(), gap.getOffsetBefore()))) {
                return true;
            }
            minute = minute.plusMinutes(1);
        }
        return false;
    }
}
