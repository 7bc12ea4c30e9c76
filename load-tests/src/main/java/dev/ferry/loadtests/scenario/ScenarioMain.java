package dev.ferry.loadtests.scenario;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load scenario against real registries and Ferry processes, prints its table and
 * writes {@code scenario-NAME.json}. Measures; never asserts a figure (it fails only when a copy
 * is incomplete). Run it with {@code load-tests/bench/scenario.sh NAME [--option value ...]}.
 */
public final class ScenarioMain {

    static final List<String> SCENARIOS =
            List.of("bulk", "one-repo", "many-tags", "no-op", "scale", "fan-out", "soak", "chaos");

    private ScenarioMain() {}

    public static void main(String[] args) throws Exception {
        ScenarioOptions options;
        try {
            options = ScenarioOptions.parse(args);
            if (!SCENARIOS.contains(options.scenario())) {
                throw new IllegalArgumentException("unknown scenario " + options.scenario() + "; known: " + SCENARIOS);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Setup setup = options.setup();
        if (!Files.isRegularFile(setup.jar())) {
            System.err.println("no Ferry jar at " + setup.jar() + "; build it first (mvn -o -q package -DskipTests)");
            System.exit(2);
        }
        Files.createDirectories(setup.work());
        // Stopped early (Ctrl-C), the registries, Ferry and skopeo processes started here go too:
        // asked first, killed after 5 s (a draining worker would otherwise outlive the scenario).
        Runtime.getRuntime().addShutdownHook(new Thread(ScenarioMain::stopChildren));
        Vertx vertx = Vertx.vertx();
        try {
            Report report = run(options, setup, vertx);
            report.print(System.out);
            Path file = report.write(setup.out());
            System.out.println("    written to " + file);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static void stopChildren() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Report run(ScenarioOptions o, Setup setup, Vertx vertx) throws Exception {
        int runs = o.integer("runs", 2);
        // Untimed syncs first: the JIT settles after several hundred jobs (measured Ferry CPU per
        // sync of 120 small images, one after another: 10.8, 6.9, 5.2, 4.3, 3.4, 3.2, 2.7, 2.5 s);
        // with few, large jobs (bulk) the hot loop is compiled sooner.
        int manyJobs = o.integer("warmup", 6);
        int fewJobs = o.integer("warmup", 3);
        return switch (o.scenario()) {
            case "bulk" ->
                new PeerScenario("bulk", o.workload("bulk", 5, 4, 4, 8 * 1024, 0, 0), false, 1.5)
                        .run(setup, vertx, runs, fewJobs);
            // Tags of one repository: the most common thing replicated, and the worst case for a
            // tool that writes one tag of a repository at a time. Against the curl pipe as well.
            case "one-repo" ->
                new PeerScenario("one-repo", o.workload("onerepo", 1, 20, 4, 8 * 1024, 0, 0), false, 1, true)
                        .run(setup, vertx, runs, fewJobs);
            case "many-tags" ->
                new PeerScenario("many-tags", o.workload("tags", 6, 20, 2, 16, 0.5, 0.1), false, 3)
                        .run(setup, vertx, runs, manyJobs);
            case "no-op" ->
                new PeerScenario("no-op", o.workload("tags", 6, 20, 2, 16, 0.5, 0.1), true, 3)
                        .run(setup, vertx, runs, manyJobs);
            // 10 x 1,000 small tags with a shared base layer: the first sync ("first" rows) and the
            // no-op after it. One warm-up: a sync of 10,000 jobs warms the JIT on its own.
            case "scale" ->
                new PeerScenario("scale", o.workload("scale", 10, 1000, 2, 16, 0.5, 0), true, 30)
                        .run(setup, vertx, runs, o.integer("warmup", 1));
            case "fan-out" ->
                new FanOutScenario(o.workload("fan", 4, 3, 3, 4 * 1024, 0.34, 0.25)).run(setup, vertx, runs);
            case "soak" ->
                new SoakScenario(
                                o.workload("soak", 3, 1, 2, 256, 0.5, 0),
                                o.integer("duration", 1800),
                                o.decimal("every", 3))
                        .run(setup, vertx);
            case "chaos" ->
                new ChaosScenario(new ChaosScenario.Options(
                                o.integer("duration", 1800),
                                o.integer("seed", 20261206),
                                o.decimal("every", 2),
                                o.integer("repos", 4),
                                o.integer("layer-kib", 64) * 1024,
                                o.integer("members", 3),
                                o.integer("workers", 2),
                                o.integer("catch-up", 180)))
                        .run(setup, vertx);
            default -> throw new IllegalArgumentException(o.scenario());
        };
    }
}
