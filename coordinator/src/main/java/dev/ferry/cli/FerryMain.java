package dev.ferry.cli;

import dev.ferry.common.log.StartupTrace;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ferry} command: every role of Ferry in one jar. */
@Command(
        name = "ferry",
        mixinStandardHelpOptions = true,
        versionProvider = FerryVersion.class,
        description = "Replicates container images between OCI registries.",
        subcommands = {
            CopyCommand.class,
            ValidateCommand.class,
            StandaloneCommand.class,
            CoordinatorCommand.class,
            WorkerCommand.class,
            CtlCommand.class,
            CertsCommand.class,
            TokenCommand.class,
            AuditConfigCommand.class,
            RouteAgentCommand.class,
            PlanCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FerryMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupTrace.mark("main");
        commonPoolOfTwo();
        String format = System.getProperty("FERRY_LOG_FORMAT", System.getenv("FERRY_LOG_FORMAT"));
        if (format != null && !format.equals("text") && !format.equals("json")) {
            System.err.println("FERRY_LOG_FORMAT must be text or json, not \"" + format + "\"");
            System.exit(ExitCodes.USAGE);
        }
        // Hazelcast logs its first lines before it reads its config: route them to SLF4J too.
        System.setProperty("hazelcast.logging.type", "slf4j");
        int exit = run(args);
        StartupTrace.mark("exit");
        System.exit(exit);
    }

    /**
     * On one or two CPUs the JVM's common fork-join pool has a single thread, and Hazelcast then
     * runs each asynchronous callback it has no executor for on a new thread (its partition
     * fan-outs, for one). Measured on two cores: about three threads started per replicated job,
     * and a quarter of the standalone's CPU. A pool of two avoids that; an operator's own
     * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} wins. Must run before
     * anything touches the pool.
     */
    static void commonPoolOfTwo() {
        String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(property) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(property, "2");
        }
    }

    /** Runs a command line and returns the exit code: 0 done, 1 failed, 2 usage or input error. */
    public static int run(String... args) {
        return commandLine(args).setExecutionExceptionHandler(new ExitCodes()).execute(args);
    }

    /**
     * The {@code ferry} command for these arguments: when the first one names a command (other
     * than {@code help}), a root that knows only that command and its own subcommands; otherwise
     * every command. picocli reads every command's annotations when it builds a command line,
     * and in a fresh JVM that costs a few hundred milliseconds of CPU that a one-shot
     * {@code ferry copy} or {@code standalone --once} would pay for commands it does not run.
     * The usage, version and errors of the command run are the same either way.
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0) {
            for (Class<?> sub : FerryMain.class.getAnnotation(Command.class).subcommands()) {
                Command command = sub.getAnnotation(Command.class);
                if (sub != CommandLine.HelpCommand.class
                        && command != null
                        && command.name().equals(args[0])) {
                    return new CommandLine(new OneCommand()).addSubcommand(sub);
                }
            }
        }
        return new CommandLine(new FerryMain());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The root of {@link #commandLine} when the arguments name one command: it is never run itself. */
    @Command(
            name = "ferry",
            mixinStandardHelpOptions = true,
            versionProvider = FerryVersion.class,
            description = "Replicates container images between OCI registries.")
    static final class OneCommand implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("the root of a single command is never run");
        }
    }
}
