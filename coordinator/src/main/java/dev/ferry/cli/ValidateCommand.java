package dev.ferry.cli;

import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretException;
import dev.ferry.config.secret.SecretResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry validate FILE...}: every problem of every file, as FILE:LINE:COL: message. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Checks schedule files and prints every problem as FILE:LINE:COL: field: message.",
        "Nothing is contacted; secrets are only looked up with --check-secrets, and never printed."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:every file is valid", "2:a file is invalid or unreadable"})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "schedule files")
  List<Path> files;

  @Option(names = "--check-secrets",
      description = "also check that every passwordEnv variable is set and every secret file is readable")
  boolean checkSecrets;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    boolean allValid = true;
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
      } else {
        allValid = false;
        problems.forEach(err::println);
        err.printf("%s: %d problem%s%n", file, problems.size(), problems.size() == 1 ? "" : "s");
      }
    }
    out.flush();
    err.flush();
    return allValid ? ExitCodes.OK : ExitCodes.USAGE;
  }

  private static List<String> secretProblems(Path file, Schedule schedule) {
    SecretResolver resolver = new SecretResolver(System::getenv, schedule.baseDirectory());
    List<String> problems = new ArrayList<>();
    for (RegistryConfig r : schedule.registries()) {
      try {
        if (r.credentials() != null && r.credentials().dockerConfig() != null) {
          DockerConfigCheck.check(r.name(), r.host(), java.nio.file.Path.of(r.credentials().dockerConfig()));
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
