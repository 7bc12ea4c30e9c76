package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.coordinator.report.ReportRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry ctl report}: the compliance report of a window, as Markdown, HTML or JSON. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "The compliance report (admin): actions by actor, failovers and drills with their durations,"
                        + " conflicts, signature rejections, drift, config-audit findings, route availability, ledger verification.")
final class ReportCommand extends CtlBase {

    enum Format {
        md,
        html,
        json
    }

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            defaultValue = "30d",
            description = "how far back, e.g. 30d, 12h (default: ${DEFAULT-VALUE})")
    String since;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "md",
            description = "md, html or json (default: ${DEFAULT-VALUE}); --json is --format json")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "write here instead of stdout")
    Path out;

    @Override
    public Integer call() throws Exception {
        JsonNode report = client().complianceReport(since);
        String text = switch (json ? Format.json : format) {
            case md -> ReportRenderer.markdown(report);
            case html -> ReportRenderer.html(report);
            case json -> report.toPrettyString() + "\n";
        };
        if (out != null) {
            Files.writeString(out, text);
        } else {
            out().print(text);
            out().flush();
        }
        // A ledger that does not verify makes the report a finding in itself: exit 1.
        return report.path("ledger").path("intactSinceRecordedBreaks").asBoolean() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
