package dev.ferry.config.diff;

import dev.ferry.config.load.ConfigException;
import dev.ferry.config.model.Schedule;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The schedule a running coordinator uses. A reload either replaces it whole with a valid
 * new one and says what changed, or keeps it and says why the new one was refused: an
 * invalid file never replaces a valid one.
 */
public final class ReloadableSchedule {

    /** The outcome of a reload: the diff applied, or the problems that kept the old schedule. */
    public record Reload(ScheduleDiff diff, ConfigException refused) {
        public boolean applied() {
            return refused == null;
        }
    }

    private final AtomicReference<Schedule> current;

    public ReloadableSchedule(Schedule initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Schedule current() {
        return current.get();
    }

    /** Loads a candidate (e.g. {@code () -> ScheduleLoader.load(path)}) and swaps it in if valid. */
    public synchronized Reload reload(Supplier<Schedule> loader) {
        Schedule next;
        try {
            next = loader.get();
        } catch (ConfigException e) {
            return new Reload(null, e);
        }
        Schedule before = current.get();
        current.set(next);
        return new Reload(ScheduleDiff.between(before, next), null);
    }
}
