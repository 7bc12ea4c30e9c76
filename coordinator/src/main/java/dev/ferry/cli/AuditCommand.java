package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.coordinator.audit.LedgerBreaks;
import dev.ferry.coordinator.audit.LedgerForks;
import dev.ferry.coordinator.audit.LedgerVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ferry ctl audit verify | export}: checking the audit ledger and shipping it. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verifies or exports the audit ledger.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand {

    @ParentCommand
    CtlCommand ctl;

    static final int PAGE = 10_000;

    /** The ledger from seq {@code since} on, from the API, as JSON lines, a page at a time. */
    String fetch(long since) {
        ControlClient client = ctl.client();
        StringBuilder all = new StringBuilder();
        long next = since;
        while (true) {
            List<String> page = LedgerVerifier.lines(client.audit(next, PAGE)).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            page.forEach(l -> all.append(l).append('\n'));
            if (page.size() < PAGE) {
                return all.toString();
            }
            // A damaged line may show no seq; the page then moves on by its length.
            long last = LedgerVerifier.seqOf(page.get(page.size() - 1));
            next = last >= next ? last + 1 : next + page.size();
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Re-checks the hash chain and the checkpoint signatures; exits 1 naming the first bad entry"
                    + " no signed ledger.break entry records, 3 when every break is recorded and all else verifies.")
    static final class Verify implements Callable<Integer> {
        /** The exit code when the ledger has breaks, each recorded by a signed entry, and all else verifies. */
        static final int BREAKS_RECORDED = 3;

        @ParentCommand
        AuditCommand audit;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--file",
                paramLabel = "FILE",
                description = "a ledger file (a member's audit-ledger.jsonl or an export) instead of the API")
        Path file;

        @Option(
                names = "--key",
                paramLabel = "BASE64",
                description = "a public key checkpoints must be signed with (repeatable); default: any")
        List<String> keys = List.of();

        @Option(names = "--json", description = "print the result as JSON")
        boolean json;

        @Override
        public Integer call() throws IOException {
            List<String> lines;
            String source;
            if (file != null) {
                if (!Files.isReadable(file)) {
                    throw new ExitCodes.UsageException("cannot read --file " + file);
                }
                lines = LedgerVerifier.lines(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
                source = file.toString();
            } else {
                lines = LedgerVerifier.lines(audit.fetch(1));
                source = audit.ctl.server + "/v1/audit";
            }
            LedgerVerifier.Report report = new LedgerVerifier(Set.copyOf(keys)).verify(lines);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(
                        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(asMap(report, source)));
            } else {
                out.println(human(report, source));
            }
            out.flush();
            return report.ok() ? ExitCodes.OK : report.intactSinceBreaks() ? BREAKS_RECORDED : ExitCodes.FAILED;
        }

        private static Map<String, Object> asMap(LedgerVerifier.Report r, String source) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", source);
            m.put("ok", r.ok());
            m.put("intactSinceBreaks", r.intactSinceBreaks());
            m.put("entries", r.entries());
            m.put("firstSeq", r.firstSeq());
            m.put("lastSeq", r.lastSeq());
            m.put("headHash", r.headHash());
            m.put("checkpoints", r.checkpoints());
            m.put("lastCheckpointSeq", r.lastCheckpointSeq());
            m.put("keys", r.keys());
            m.put("forks", r.forks());
            if (r.problem() != null) {
                m.put(
                        "firstBad",
                        Map.of(
                                "line",
                                r.problem().line(),
                                "seq",
                                r.problem().seq(),
                                "reason",
                                r.problem().reason()));
            }
            m.put(
                    "breaks",
                    r.breaks().stream()
                            .map(b -> Map.of(
                                    "line",
                                    b.at().line(),
                                    "seq",
                                    b.at().seq(),
                                    "reason",
                                    b.at().reason(),
                                    "afterSeq",
                                    b.afterSeq(),
                                    "afterHash",
                                    b.afterHash(),
                                    "recordedBy",
                                    b.recordedBy()))
                            .toList());
            return m;
        }

        private static String human(LedgerVerifier.Report r, String source) {
            LedgerVerifier.Break bad = r.firstUnrecorded();
            if (bad != null) {
                return source + ":" + bad.at().line() + ": entry seq "
                        + bad.at().seq() + " is bad: " + bad.at().reason() + " (" + bad.entriesBefore()
                        + " entries before it verified)";
            }
            if (r.entries() == 0) {
                return source + ": empty ledger";
            }
            StringBuilder s = new StringBuilder(source).append(": ");
            if (!r.ok()) {
                s.append(r.breaks().size())
                        .append(r.breaks().size() == 1 ? " break" : " breaks")
                        .append(", each recorded by a signed ledger.break entry; everything else verifies: ");
            } else {
                s.append("ok, ");
            }
            s.append(r.entries())
                    .append(" entries, seq ")
                    .append(r.firstSeq())
                    .append('-')
                    .append(r.lastSeq())
                    .append(", ")
                    .append(r.checkpoints())
                    .append(" signed checkpoints");
            if (r.firstSeq() > 1) {
                s.append("; starts after seq 1, so its first link is taken on trust");
            }
            if (r.lastCheckpointSeq() < r.lastSeq()) {
                s.append("; ")
                        .append(r.lastSeq() - Math.max(0, r.lastCheckpointSeq()))
                        .append(" entries after the last checkpoint");
            }
            if (r.forks() > 0) {
                s.append("; ")
                        .append(r.forks())
                        .append(r.forks() == 1 ? " entry" : " entries")
                        .append(" acknowledged on one side of a network split and recorded again after the merge (")
                        .append(LedgerForks.ACTION)
                        .append(")");
            }
            s.append("; keys ").append(r.keys());
            r.breaks().forEach(b -> s.append("\n  ").append(LedgerBreaks.describe(b, source)));
            return s.toString();
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Writes the ledger as JSON lines, to stdout or a file, for log shippers.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Spec
        CommandSpec spec;

        @Option(names = "--since", paramLabel = "SEQ", defaultValue = "1", description = "first seq (default: 1)")
        long since;

        @Option(names = "--file", paramLabel = "FILE", description = "write here instead of stdout")
        Path file;

        @Override
        public Integer call() throws IOException {
            String lines = audit.fetch(since);
            if (file != null) {
                Files.writeString(file, lines, StandardCharsets.UTF_8);
            } else {
                spec.commandLine().getOut().print(lines);
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }
}
