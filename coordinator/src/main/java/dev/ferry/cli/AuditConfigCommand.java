package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.config.audit.ConfigAudit;
import dev.ferry.config.audit.Finding;
import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry audit-config FILE}: risky settings, each with a severity; rules in docs/security.md. */
@Command(
        name = "audit-config",
        mixinStandardHelpOptions = true,
        description = "Reports risky settings in a schedule file, each as FILE:LINE:COL: SEVERITY rule: message.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:no finding, or only low and medium ones",
            "1:a high finding",
            "2:the file is not a valid schedule, or a usage error"
        })
final class AuditConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "a schedule file")
    Path file;

    @Option(names = "--json", description = "print the findings as JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        ConfigAudit.Report report;
        try {
            report = ConfigAudit.audit(file);
        } catch (ConfigException e) {
            var err = spec.commandLine().getErr();
            e.problems().stream().map(ConfigProblem::toString).forEach(err::println);
            err.flush();
            return ExitCodes.USAGE;
        }
        if (json) {
            List<Map<String, Object>> findings =
                    report.findings().stream().map(AuditConfigCommand::asMap).toList();
            out.println(new ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of(
                            "file", file.toString(), "findings", findings, "otherRulesSkipped", report.skipped())));
        } else {
            report.findings().forEach(out::println);
            if (report.skipped()) {
                out.println(file + ": other rules not run: the file loads only once the inline secrets are gone");
            }
            out.println(file + ": " + summary(report.findings()));
        }
        out.flush();
        return report.anyHigh() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static Map<String, Object> asMap(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("rule", f.rule());
        m.put("file", f.location().file());
        m.put("line", f.location().line());
        m.put("column", f.location().column());
        m.put("message", f.message());
        return m;
    }

    private static String summary(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "no risky settings found";
        }
        Map<Finding.Severity, Long> counts = new java.util.EnumMap<>(Finding.Severity.class);
        findings.forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
        StringBuilder s = new StringBuilder();
        for (Finding.Severity sev : List.of(Finding.Severity.HIGH, Finding.Severity.MEDIUM, Finding.Severity.LOW)) {
            s.append(s.length() == 0 ? "" : ", ")
                    .append(counts.getOrDefault(sev, 0L))
                    .append(' ')
                    .append(sev.name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.toString();
    }
}
