package dev.ferry.config.load;

import java.util.List;
import java.util.stream.Collectors;

/** A schedule file that cannot be used, with every problem found in it, in file order. */
public class ConfigException extends RuntimeException {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
