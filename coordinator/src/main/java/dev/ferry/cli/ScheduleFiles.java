package dev.ferry.cli;

import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loading a schedule file for a command: its problems go to the command's error stream. */
final class ScheduleFiles {

    private ScheduleFiles() {}

    /**
     * The schedule in {@code file}, or empty after printing each problem (FILE:LINE:COL: message)
     * to {@code err}; the caller then exits with {@link ExitCodes#USAGE}.
     */
    static Optional<Schedule> load(Path file, PrintWriter err) {
        try {
            return Optional.of(ScheduleLoader.load(file));
        } catch (ConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(err::println);
            err.flush();
            return Optional.empty();
        }
    }
}
