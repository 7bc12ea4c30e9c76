package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ferry ctl} commands about policies, runs, jobs and link quotas. */
final class RunCommands {

    private RunCommands() {}

    /** One run: {@code run r-42 of apps: succeeded  planned=10 upToDate=6 succeeded=4}, then its error if any. */
    static void runLine(PrintWriter out, JsonNode run) {
        StringBuilder counts = new StringBuilder();
        run.path("counts")
                .fields()
                .forEachRemaining(e -> counts.append(' ')
                        .append(e.getKey())
                        .append('=')
                        .append(e.getValue().asText()));
        out.printf(
                "run %s of %s: %s %s%n",
                run.path("run").asText(),
                run.path("policy").asText(),
                run.path("state").asText(),
                counts.toString().strip());
        String error = CtlBase.text(run, "error", null);
        if (error != null) {
            out.println("  error: " + error);
        }
    }

    @Command(
            name = "sync",
            mixinStandardHelpOptions = true,
            description = "Runs a policy now; with --wait, waits for the run and exits 0 only if every job succeeded.")
    static final class Sync extends CtlBase {
        @Option(names = "--policy", required = true, paramLabel = "NAME")
        String policy;

        @Option(names = "--wait", description = "wait for the run to end")
        boolean wait;

        @Override
        public Integer call() {
            JsonNode run = client().sync(policy, wait);
            show(run, out -> runLine(out, run));
            return !wait || "succeeded".equals(run.path("state").asText()) ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** pause and resume: one POST on a policy; the answer is the policy. */
    abstract static class PolicyAction extends CtlBase {
        @Option(names = "--policy", required = true, paramLabel = "NAME")
        String policy;

        abstract JsonNode send(ControlClient client);

        @Override
        public Integer call() {
            JsonNode p = send(client());
            return show(
                    p,
                    out -> out.printf(
                            "policy %s: %s%n",
                            p.path("name").asText(policy), p.path("paused").asBoolean() ? "paused" : "active"));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops a policy from planning.")
    static final class Pause extends PolicyAction {
        @Override
        JsonNode send(ControlClient client) {
            return client.pause(policy);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused policy plan again.")
    static final class Resume extends PolicyAction {
        @Override
        JsonNode send(ControlClient client) {
            return client.resume(policy);
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists jobs, newest change first.")
    static final class Jobs extends CtlBase {
        @Option(names = "--state", paramLabel = "STATE")
        String state;

        @Option(names = "--policy", paramLabel = "NAME")
        String policy;

        @Option(names = "--tier", paramLabel = "TIER")
        String tier;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100")
        int limit;

        @Override
        public Integer call() {
            JsonNode jobs = client().jobs(new ControlClient.JobQuery(state, policy, tier, limit));
            return show(jobs, out -> {
                out.printf("%-10s %-9s %-8s %s%n", "STATE", "TIER", "ATTEMPTS", "SOURCE -> TARGET");
                jobs.forEach(j -> {
                    out.printf(
                            "%-10s %-9s %-8s %s -> %s%n",
                            j.path("state").asText(),
                            j.path("tier").asText(),
                            j.path("attempts").asText("0"),
                            j.path("source").asText(),
                            j.path("target").asText());
                    String error = CtlBase.text(j, "lastError", null);
                    if (error != null) {
                        out.printf("%-29s %s%n", "", error);
                    }
                });
            });
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description =
                    "Cancels a run: its unfinished jobs stop, copies in flight within a renew, and no tag is written.")
    static final class Cancel extends CtlBase {
        @Option(names = "--run", required = true, paramLabel = "RUN")
        String run;

        @Override
        public Integer call() {
            JsonNode answer = client().cancel(run);
            return show(answer, out -> runLine(out, answer));
        }
    }

    @Command(
            name = "links",
            mixinStandardHelpOptions = true,
            description =
                    "Lists link quotas and the share of every lease; with --from, --to and --bandwidth, sets one.")
    static final class Links extends CtlBase {
        @Option(names = "--from", paramLabel = "REGION", description = "source region of the link to set")
        String from;

        @Option(names = "--to", paramLabel = "REGION", description = "target region of the link to set")
        String to;

        @Option(
                names = "--bandwidth",
                paramLabel = "RATE",
                description = "new quota, e.g. 200MiB/s or 1Gbit/s, or 'unlimited'")
        String bandwidth;

        @Override
        public Integer call() {
            if (from == null && to == null && bandwidth == null) {
                JsonNode links = client().links();
                return show(links, out -> {
                    out.printf(
                            "%-12s %-12s %-14s %-9s %-12s %s%n",
                            "FROM", "TO", "QUOTA", "ORIGIN", "OBSERVED B/S", "LEASES");
                    links.path("links").forEach(l -> linkLine(out, l));
                });
            }
            if (from == null || to == null || bandwidth == null) {
                throw new ExitCodes.UsageException("setting a quota needs --from, --to and --bandwidth together");
            }
            JsonNode link = client().setLink(from, to, bandwidth);
            return show(
                    link,
                    out -> out.printf(
                            "link %s -> %s: quota %s%n", from, to, CtlBase.text(link, "bandwidth", bandwidth)));
        }

        private static void linkLine(PrintWriter out, JsonNode l) {
            out.printf(
                    "%-12s %-12s %-14s %-9s %-12s %d%n",
                    l.path("from").asText(),
                    l.path("to").asText(),
                    CtlBase.text(l, "bandwidth", "unlimited"),
                    l.path("origin").asText(),
                    l.path("observedBytesPerSecond").asText("0"),
                    l.path("leases").size());
        }
    }
}
