package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.config.units.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The outage runbook commands of {@code ferry ctl}: status, registries, routes, failover,
 * failback, drain and drill. Each is one API call (a drill also polls its report), printed
 * for a person by default and as the API's JSON with {@code --json}.
 *
 * <p>Over 300 lines because the runbook's subcommands (status, failover, failback, drain, drill, ...), each short, kept together as the runbook groups them.
 */
final class RunbookCommands {

    private RunbookCommands() {}

    static void registryLine(PrintWriter out, JsonNode r) {
        out.printf(
                "%-16s %-15s %-9s %s%n",
                r.path("name").asText(),
                r.path("state").asText(),
                r.path("inRoutes").asBoolean() ? "yes" : "no",
                r.path("reason").asText());
        JsonNode catchUp = r.path("catchUp");
        if (!catchUp.isMissingNode() && !catchUp.isNull()) {
            out.printf(
                    "%-16s catch-up %s%s%n",
                    "",
                    catchUp.path("phase").asText(),
                    catchUp.path("detail").isNull() || catchUp.path("detail").isMissingNode()
                            ? ""
                            : ": " + catchUp.path("detail").asText());
        }
        if (!r.path("holdsWrites").isNull() && !r.path("holdsWrites").isMissingNode()) {
            out.printf("%-16s writes held: %s%n", "", r.path("holdsWrites").asText());
        }
    }

    static void registryTable(PrintWriter out, JsonNode registries) {
        out.printf("%-16s %-15s %-9s %s%n", "REGISTRY", "STATE", "IN ROUTES", "REASON");
        registries.forEach(r -> registryLine(out, r));
    }

    static void routeTable(PrintWriter out, JsonNode routes) {
        out.printf("%-16s %-16s %s%n", "ROUTE", "ACTIVE", "WHY");
        routes.forEach(r -> out.printf(
                "%-16s %-16s %s%n",
                r.path("name").asText(),
                r.path("active").isNull() ? "(none)" : r.path("active").asText(),
                r.path("reason").asText()));
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Registries, routes, queues, workers and active runs.")
    static final class Status extends CtlBase {
        @Override
        public Integer call() {
            JsonNode s = client().status();
            return show(s, out -> {
                out.printf(
                        "cluster: %d member(s), answering: %s, %s%n",
                        s.path("members").size(),
                        s.path("member").asText(),
                        s.path("ready").asBoolean() ? "ready" : "NOT READY");
                out.println();
                registryTable(out, s.path("registries"));
                out.println();
                routeTable(out, s.path("routes"));
                out.println();
                out.printf("%-10s %s%n", "TIER", "JOBS BY STATE");
                Iterator<Map.Entry<String, JsonNode>> tiers = s.path("queues").fields();
                while (tiers.hasNext()) {
                    Map.Entry<String, JsonNode> t = tiers.next();
                    StringBuilder states = new StringBuilder();
                    t.getValue()
                            .fields()
                            .forEachRemaining(e -> states.append(e.getKey())
                                    .append('=')
                                    .append(e.getValue().asInt())
                                    .append(' '));
                    out.printf("%-10s %s%n", t.getKey(), states.toString().strip());
                }
                out.println();
                out.printf("%-24s %-12s %-7s %s%n", "WORKER", "REGION", "LEASES", "LAST SEEN");
                s.path("workers")
                        .forEach(w -> out.printf(
                                "%-24s %-12s %-7d %s%n",
                                w.path("id").asText(),
                                w.path("region").asText(),
                                w.path("leases").asInt(),
                                w.path("lastSeen").asText()));
                if (!s.path("activeRuns").isEmpty()) {
                    out.println();
                    out.printf("%-20s %-20s %-10s %s%n", "RUN", "POLICY", "STATE", "COUNTS");
                    s.path("activeRuns")
                            .forEach(r -> out.printf(
                                    "%-20s %-20s %-10s %s%n",
                                    r.path("run").asText(),
                                    r.path("policy").asText(),
                                    r.path("state").asText(),
                                    r.path("counts")));
                }
            });
        }
    }

    @Command(
            name = "registries",
            mixinStandardHelpOptions = true,
            description = "Every registry's health, whether it is in its routes, and its catch-up.")
    static final class Registries extends CtlBase {
        @Override
        public Integer call() {
            JsonNode answer = client().registries();
            return show(answer, out -> registryTable(out, answer.path("registries")));
        }
    }

    @Command(
            name = "routes",
            mixinStandardHelpOptions = true,
            description = "Routes with their active mirror and why; --name shows one route's candidates.")
    static final class Routes extends CtlBase {
        @Option(names = "--name", paramLabel = "ROUTE")
        String name;

        @Override
        public Integer call() {
            if (name == null) {
                JsonNode answer = client().routes();
                return show(answer, out -> routeTable(out, answer.path("routes")));
            }
            JsonNode r = client().route(name);
            return show(r, out -> {
                out.printf(
                        "route %s (region %s): active %s%n  %s%n",
                        r.path("name").asText(),
                        r.path("region").asText(),
                        r.path("active").isNull() ? "(none)" : r.path("active").asText(),
                        r.path("reason").asText());
                out.printf("%n%-16s %-15s %-9s %-8s %s%n", "MIRROR", "STATE", "ELIGIBLE", "LAG", "WHY");
                r.path("candidates")
                        .forEach(c -> out.printf(
                                "%-16s %-15s %-9s %-8s %s%n",
                                c.path("registry").asText(),
                                c.path("state").asText(),
                                c.path("eligible").asBoolean() ? "yes" : "no",
                                Math.round(c.path("lagSeconds").asDouble()) + "s",
                                c.path("reason").asText()));
            });
        }
    }

    @Command(
            name = "failover",
            mixinStandardHelpOptions = true,
            description = "Takes a registry out of its routes now; jobs writing to it are held until failback.")
    static final class Failover extends CtlBase {
        @Option(names = "--registry", required = true, paramLabel = "NAME")
        String registry;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit record")
        String reason;

        @Override
        public Integer call() {
            JsonNode r = client().failover(registry, reason);
            return show(r, out -> {
                out.println("failed over: " + registry + " is out of its routes; its jobs are held.");
                registryLine(out, r);
                out.println("next: ferry ctl routes   (check where consumers go now)");
            });
        }
    }

    @Command(
            name = "drain",
            mixinStandardHelpOptions = true,
            description = "Stops new writes to a registry (and takes it out of its routes) for maintenance.")
    static final class Drain extends CtlBase {
        @Option(names = "--registry", required = true, paramLabel = "NAME")
        String registry;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the audit record")
        String reason;

        @Override
        public Integer call() {
            JsonNode r = client().drain(registry, reason);
            return show(r, out -> {
                out.println("draining: no new writes go to " + registry + "; leases in flight finish.");
                registryLine(out, r);
            });
        }
    }

    @Command(
            name = "failback",
            mixinStandardHelpOptions = true,
            description =
                    "Returns a registry to its routes once its catch-up is verified; refused before, unless --force.")
    static final class Failback extends CtlBase {
        @Option(names = "--registry", required = true, paramLabel = "NAME")
        String registry;

        @Option(names = "--force", description = "fail back without a verified catch-up")
        boolean force;

        @Override
        public Integer call() {
            JsonNode r;
            try {
                r = client().failback(registry, force);
            } catch (IllegalStateException refused) {
                out().println("failback refused: " + refused.getMessage());
                out().flush();
                return ExitCodes.FAILED;
            }
            return show(r, out -> {
                out.println("failed back: " + registry + " is in its routes again.");
                registryLine(out, r);
            });
        }
    }

    @Command(
            name = "drill",
            mixinStandardHelpOptions = true,
            description =
                    "Simulates an outage of a registry: routes switch and jobs hold as in a real one; then restores"
                            + " it, waits for its catch-up and reports. The registry itself is never touched.")
    static final class Drill extends CtlBase {
        @Option(names = "--registry", required = true, paramLabel = "NAME")
        String registry;

        @Option(names = "--duration", required = true, paramLabel = "DURATION", description = "e.g. 5m")
        String duration;

        @Option(names = "--no-wait", description = "start the drill and return; see GET /v1/drills/{id}")
        boolean noWait;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                defaultValue = "2h",
                description = "give up waiting for the report after this (default: ${DEFAULT-VALUE})")
        String timeout;

        @Override
        public Integer call() throws InterruptedException {
            Duration limit = Durations.parse(timeout);
            ControlClient client = client();
            JsonNode started = client.startDrill(registry, duration);
            String id = started.path("id").asText();
            if (noWait) {
                return show(started, out -> out.println("drill " + id + " started on " + registry));
            }
            if (!json) {
                out().println("drill " + id + ": " + registry + " is out of service for " + duration);
                started.path("switched")
                        .forEach(s -> out().println("  route " + s.path("route").asText() + ": "
                                + s.path("from").asText() + " -> "
                                + s.path("to").asText()));
                out().flush();
            }
            long deadline = System.nanoTime() + limit.toNanos();
            String phase = started.path("phase").asText();
            JsonNode report = started;
            while (!phase.equals("passed") && !phase.equals("failed")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("drill " + id + " did not finish within " + timeout
                            + "; see ferry ctl registries and GET /v1/drills/" + id);
                }
                Thread.sleep(1000);
                report = client.drill(id);
                String now = report.path("phase").asText();
                if (!now.equals(phase) && !json) {
                    out().println("drill " + id + ": " + now
                            + (report.path("detail").isNull()
                                    ? ""
                                    : " (" + report.path("detail").asText() + ")"));
                    out().flush();
                }
                phase = now;
            }
            JsonNode last = report;
            show(last, out -> {
                out.printf(
                        "drill %s on %s: %s%n",
                        id, registry, last.path("phase").asText().toUpperCase());
                out.printf("  routes switched: %d%n", last.path("switched").size());
                last.path("switched")
                        .forEach(s -> out.printf(
                                "    %s: %s -> %s%n",
                                s.path("route").asText(),
                                s.path("from").asText(),
                                s.path("to").asText()));
                out.printf("  jobs held at restore: %d%n", last.path("heldJobs").asInt());
                out.printf("  jobs failed: %d%n", last.path("failedJobs").asInt());
                out.printf(
                        "  catch-up after restore: %.1f s%n",
                        last.path("catchUpMillis").asLong() / 1000.0);
                out.printf("  %s%n", last.path("detail").asText());
            });
            return phase.equals("passed") ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
