package dev.ferry.cli;

import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretException;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.coordinator.plan.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry validate FILE...}: every problem of every file, as FILE:LINE:COL: message. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks schedule files and prints every problem as FILE:LINE:COL: field: message.",
            "Nothing is contacted; secrets are only looked up with --check-secrets, and never printed."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:every file is valid",
            "1:--check: a registry or repository could not be checked",
            "2:a file is invalid or unreadable"
        })
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "schedule files")
    List<Path> files;

    @Option(
            names = "--check-secrets",
            description = "also check that every passwordEnv variable is set and every secret file is readable")
    boolean checkSecrets;

    @Option(
            names = "--check",
            description = {
                "also contact the registries (reading only) and plan every policy: report a tag or repository "
                        + "pattern that matched none of the names it was tried on (a warning, with a hint when a prefix was meant), "
                        + "and what could not be checked"
            })
    boolean check;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        boolean allValid = true;
        checkFailed = false;
        for (Path file : files) {
            List<String> problems = new ArrayList<>();
            Schedule schedule = null;
            try {
                schedule = ScheduleLoader.load(file);
            } catch (ConfigException e) {
                e.problems().stream().map(ConfigProblem::toString).forEach(problems::add);
            }
            if (schedule != null && checkSecrets) {
                problems.addAll(secretProblems(file, schedule));
            }
            if (problems.isEmpty()) {
                out.printf("%s: valid (%s)%n", file, summary(schedule));
                if (check && !checked(file, schedule)) {
                    checkFailed = true;
                }
            } else {
                allValid = false;
                problems.forEach(err::println);
                err.printf("%s: %d problem%s%n", file, problems.size(), problems.size() == 1 ? "" : "s");
            }
        }
        out.flush();
        err.flush();
        return !allValid ? ExitCodes.USAGE : checkFailed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private boolean checkFailed;

    /** Plans every policy, reading only; prints its warnings and errors; false when any part could not be checked. */
    private boolean checked(Path file, Schedule schedule) {
        var out = spec.commandLine().getOut();
        List<Plan> plans;
        try {
            plans = SchedulePreviews.plans(schedule);
        } catch (Exception e) {
            out.printf("%s: check failed: %s%n", file, Errors.describe(e));
            return false;
        }
        boolean complete = true;
        for (Plan plan : plans) {
            for (String warning : plan.warnings()) {
                out.printf("%s: policy %s: warning: %s%n", file, plan.policy(), warning);
            }
            for (String error : plan.errors()) {
                out.printf("%s: policy %s: not checked: %s%n", file, plan.policy(), error);
            }
            complete &= plan.complete();
        }
        long warnings = plans.stream().mapToLong(p -> p.warnings().size()).sum();
        out.printf(
                "%s: checked %d %s against the registries: %d warning%s%n",
                file, plans.size(), plans.size() == 1 ? "policy" : "policies", warnings, warnings == 1 ? "" : "s");
        return complete;
    }

    private static List<String> secretProblems(Path file, Schedule schedule) {
        SecretResolver resolver = new SecretResolver(System::getenv, schedule.baseDirectory());
        List<String> problems = new ArrayList<>();
        for (RegistryConfig r : schedule.registries()) {
            try {
                if (r.credentials() != null && r.credentials().dockerConfig() != null) {
                    DockerConfigCheck.check(
                            r.name(),
                            r.host(),
                            java.nio.file.Path.of(r.credentials().dockerConfig()));
                } else {
                    resolver.resolve(r.name(), r.credentials());
                }
            } catch (SecretException | dev.ferry.common.dockerconfig.DockerConfigException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return problems;
    }

    private static String summary(Schedule s) {
        return plural(s.registries().size(), "registry", "registries") + ", "
                + plural(s.policies().size(), "policy", "policies") + ", "
                + plural(s.links().size(), "link", "links") + ", "
                + plural(s.routes().size(), "route", "routes");
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
