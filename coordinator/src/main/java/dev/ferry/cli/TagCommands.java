package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code ferry ctl} commands about the tags Ferry wrote: history, rollback, pins and drift. */
final class TagCommands {

    private TagCommands() {}

    static String tagOf(JsonNode t) {
        return t.path("registry").asText() + " " + t.path("repository").asText() + ":"
                + t.path("tag").asText();
    }

    /** Options that name one target tag by the schedule's registry name, the repository and the tag. */
    static final class TagOptions {
        @Option(names = "--registry", required = true, paramLabel = "NAME", description = "the target registry's name")
        String registry;

        @Option(names = "--repository", required = true, paramLabel = "REPO")
        String repository;

        @Option(names = "--tag", required = true, paramLabel = "TAG")
        String tag;
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "Tag writes Ferry made to a target repository (or one tag), newest first.")
    static final class History extends CtlBase {
        @Option(names = "--registry", required = true, paramLabel = "NAME")
        String registry;

        @Option(names = "--repository", required = true, paramLabel = "REPO")
        String repository;

        @Option(names = "--tag", paramLabel = "TAG")
        String tag;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100")
        int limit;

        @Override
        public Integer call() {
            JsonNode history = client().history(registry, repository, tag, limit);
            return show(history, out -> {
                out.printf("%-24s %-8s %-20s %-20s %s%n", "TIME", "KIND", "TAG", "RUN", "DIGEST (PREVIOUS -> NEW)");
                history.path("writes")
                        .forEach(w -> out.printf(
                                "%-24s %-8s %-20s %-20s %s -> %s%n",
                                Instant.ofEpochMilli(w.path("time").asLong()),
                                w.path("kind").asText(),
                                w.path("tag").asText(),
                                CtlBase.text(w, "run", "-"),
                                CtlBase.text(w, "previousDigest", "(new)"),
                                CtlBase.text(w, "newDigest", "(deleted)")));
            });
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Puts a target tag (or every tag a run wrote) back to an earlier digest and pins it.")
    static final class Rollback extends CtlBase {
        @Option(names = "--run", paramLabel = "RUN", description = "every tag this run wrote")
        String run;

        @Option(
                names = {"--registry", "--target"},
                paramLabel = "NAME",
                description = "the target registry's name")
        String registry;

        @Option(names = "--repository", paramLabel = "REPO")
        String repository;

        @Option(
                names = "--tag",
                paramLabel = "TAG",
                description =
                        "one tag (without it: every tag Ferry wrote in the" + " repository, with --at or --before-run)")
        String tag;

        @Option(
                names = "--to",
                paramLabel = "DIGEST",
                description = "the digest to put back (default: what the tag held before Ferry's last write)")
        String to;

        @Option(names = "--at", paramLabel = "TIME", description = "the repository's state at this ISO-8601 UTC time")
        String at;

        @Option(
                names = "--before-run",
                paramLabel = "RUN",
                description = "the repository's state before this run wrote")
        String beforeRun;

        @Override
        public Integer call() {
            JsonNode result;
            if (run != null) {
                if (registry != null
                        || repository != null
                        || tag != null
                        || to != null
                        || at != null
                        || beforeRun != null) {
                    throw new ExitCodes.UsageException("--run takes no other option");
                }
                result = client().rollbackRun(run);
            } else if (registry == null || repository == null) {
                throw new ExitCodes.UsageException(
                        "give --run RUN, --registry R --repository REPO --tag TAG [--to DIGEST],"
                                + " or --repository REPO --target R (--at TIME | --before-run RUN)");
            } else if (tag != null) {
                if (at != null || beforeRun != null) {
                    throw new ExitCodes.UsageException(
                            "--at and --before-run roll back a whole repository: leave out --tag");
                }
                result = client().rollbackTag(registry, repository, tag, to);
            } else {
                if ((at == null) == (beforeRun == null) || to != null) {
                    throw new ExitCodes.UsageException(
                            "a repository rollback takes --at TIME or --before-run RUN (one of"
                                    + " them), and no --to");
                }
                result = client().rollbackRepository(registry, repository, at, beforeRun);
            }
            show(result, out -> {
                out.printf(
                        "rollback %s: %d tag(s) going back, pinned%n",
                        result.path("rollback").asText(), result.path("tags").size());
                result.path("tags")
                        .forEach(t -> out.printf(
                                "  %s: %s -> %s%n",
                                tagOf(t), t.path("from").asText(), t.path("to").asText()));
                result.path("skipped")
                        .forEach(t -> out.printf(
                                "  skipped %s%s%n",
                                tagOf(t),
                                t.hasNonNull("reason") ? ": " + t.path("reason").asText() : ""));
            });
            return result.path("tags").isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }

    static void pinLine(PrintWriter out, JsonNode p) {
        out.printf(
                "%-16s %-32s %-16s %s  %s%n",
                p.path("registry").asText(),
                p.path("repository").asText(),
                p.path("tag").asText(),
                p.path("digest").asText(),
                CtlBase.text(p, "reason", ""));
    }

    @Command(name = "pins", mixinStandardHelpOptions = true, description = "Lists pinned target tags.")
    static final class Pins extends CtlBase {
        @Override
        public Integer call() {
            JsonNode pins = client().pins();
            return show(pins, out -> {
                out.printf("%-16s %-32s %-16s %s  %s%n", "REGISTRY", "REPOSITORY", "TAG", "DIGEST", "REASON");
                pins.path("pins").forEach(p -> pinLine(out, p));
            });
        }
    }

    @Command(
            name = "unpin",
            mixinStandardHelpOptions = true,
            description = "Removes a pin, so reconciles manage the tag again.")
    static final class Unpin extends CtlBase {
        @Mixin
        TagOptions tag;

        @Override
        public Integer call() {
            JsonNode removed = client().unpin(tag.registry, tag.repository, tag.tag);
            return show(
                    removed,
                    out -> out.printf(
                            "unpinned %s %s:%s (was pinned at %s)%n",
                            tag.registry, tag.repository, tag.tag, CtlBase.text(removed, "digest", "?")));
        }
    }

    @Command(
            name = "drift",
            mixinStandardHelpOptions = true,
            description = "Lists target tags that no longer hold what Ferry wrote; with --check, checks a policy now.")
    static final class DriftCmd extends CtlBase {
        @Option(names = "--policy", paramLabel = "NAME", description = "only this policy (required with --check)")
        String policy;

        @Option(names = "--check", description = "check the policy's targets now (and repair, with onDrift: repair)")
        boolean check;

        @Override
        public Integer call() {
            if (check) {
                if (policy == null) {
                    throw new ExitCodes.UsageException("--check needs --policy");
                }
                JsonNode report = client().verify(policy);
                show(report, out -> {
                    out.printf(
                            "policy %s: %d tag(s) checked, %d drifted%n",
                            policy,
                            report.path("checked").asInt(),
                            report.path("drifted").size());
                    report.path("drifted").forEach(d -> driftLine(out, d));
                });
                return report.path("drifted").isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
            }
            JsonNode listed = client().drift(policy);
            show(listed, out -> {
                out.printf("%d drifted tag(s)%n", listed.path("drift").size());
                listed.path("drift").forEach(d -> driftLine(out, d));
            });
            return listed.path("drift").isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        }

        private static void driftLine(PrintWriter out, JsonNode d) {
            out.printf(
                    "  %s (policy %s): expected %s, found %s; %s%n",
                    tagOf(d),
                    d.path("policy").asText(),
                    d.path("expected").asText(),
                    CtlBase.text(d, "actual", "(gone)"),
                    d.path("action").asText());
        }
    }
}
