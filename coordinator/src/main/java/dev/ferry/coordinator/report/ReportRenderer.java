package dev.ferry.coordinator.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renders a compliance report (the JSON of {@code GET /v1/reports/compliance}) as Markdown or
 * as a self-contained HTML page: the same sections, in the same order, as tables.
 */
public final class ReportRenderer {

    /** A table: a title, column names, and one cell text per column for each row. */
    private record Table(String title, String note, List<String> columns, List<List<String>> rows) {}

    private ReportRenderer() {}

    public static String markdown(JsonNode report) {
        StringBuilder out = new StringBuilder("# Ferry compliance report\n\n");
        out.append(report.path("from").asText())
                .append(" to ")
                .append(report.path("to").asText())
                .append("\n\n");
        for (Table t : tables(report)) {
            out.append("## ").append(t.title()).append("\n\n");
            if (t.note() != null) {
                out.append(t.note()).append("\n\n");
            }
            if (t.rows().isEmpty()) {
                out.append("None.\n\n");
                continue;
            }
            out.append("| ")
                    .append(String.join(
                            " | ",
                            t.columns().stream().map(ReportRenderer::mdCell).toList()))
                    .append(" |\n|");
            t.columns().forEach(c -> out.append("---|"));
            out.append('\n');
            t.rows()
                    .forEach(r -> out.append("| ")
                            .append(String.join(
                                    " | ",
                                    r.stream().map(ReportRenderer::mdCell).toList()))
                            .append(" |\n"));
            out.append('\n');
        }
        return out.toString();
    }

    public static String html(JsonNode report) {
        StringBuilder out = new StringBuilder(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                + "<title>Ferry compliance report</title><style>body{font-family:sans-serif;margin:2em}"
                                + "table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #ccc;padding:.2em .5em;"
                                + "text-align:left}th{background:#eee}</style></head><body>\n<h1>Ferry compliance report</h1>\n<p>")
                .append(esc(report.path("from").asText()))
                .append(" to ")
                .append(esc(report.path("to").asText()))
                .append("</p>\n");
        for (Table t : tables(report)) {
            out.append("<h2>").append(esc(t.title())).append("</h2>\n");
            if (t.note() != null) {
                out.append("<p>").append(esc(t.note())).append("</p>\n");
            }
            if (t.rows().isEmpty()) {
                out.append("<p>None.</p>\n");
                continue;
            }
            out.append("<table><tr>");
            t.columns().forEach(c -> out.append("<th>").append(esc(c)).append("</th>"));
            out.append("</tr>\n");
            for (List<String> row : t.rows()) {
                out.append("<tr>");
                row.forEach(c -> out.append("<td>").append(esc(c)).append("</td>"));
                out.append("</tr>\n");
            }
            out.append("</table>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    private static List<Table> tables(JsonNode r) {
        JsonNode ledger = r.path("ledger");
        String chain = ledger.path("verified").asBoolean()
                ? "The ledger's hash chain and signed checkpoints verify."
                : ledger.path("intactSinceRecordedBreaks").asBoolean()
                        ? "The ledger has " + ledger.path("breaks").asInt()
                                + " break(s), each recorded by a signed entry."
                        : "The ledger does NOT verify: "
                                + ledger.path("problem").asText();
        List<Table> tables = new ArrayList<>();
        tables.add(new Table(
                "Audit ledger",
                chain,
                List.of("entries", "in window", "last seq", "checkpoints", "breaks"),
                List.of(List.of(
                        ledger.path("entries").asText(),
                        ledger.path("entriesInWindow").asText(),
                        ledger.path("lastSeq").asText(),
                        ledger.path("checkpoints").asText(),
                        ledger.path("breaks").asText()))));
        tables.add(table(
                "Actions by actor and kind", null, r.path("actions"), List.of("actor", "kind", "action", "count")));
        tables.add(table(
                "Failovers",
                null,
                r.path("failovers"),
                List.of("registry", "mode", "by", "at", "backAt", "durationSeconds", "reason")));
        tables.add(table(
                "Drills",
                null,
                r.path("drills"),
                List.of(
                        "drill",
                        "registry",
                        "by",
                        "startedAt",
                        "outcome",
                        "outOfServiceSeconds",
                        "durationSeconds",
                        "catchUpMillis")));
        tables.add(table(
                "Conflicts",
                "Jobs that ended in a conflict.",
                r.path("conflicts").path("jobs"),
                List.of("policy", "target", "reason")));
        tables.add(table(
                "Backups made before overwriting a conflict",
                null,
                r.path("conflicts").path("backups"),
                List.of("at", "actor", "subject", "details")));
        tables.add(table(
                "Signature rejections",
                null,
                r.path("signatureRejections"),
                List.of("at", "actor", "subject", "details")));
        tables.add(table(
                "Drift found",
                "As the last drift checks found it.",
                r.path("drift").path("found"),
                List.of("target", "policy", "action", "detectedAt")));
        tables.add(table(
                "Drift repaired",
                null,
                r.path("drift").path("repaired"),
                List.of("at", "actor", "subject", "details")));
        tables.add(table(
                "Config-audit findings",
                null,
                r.path("configFindings"),
                List.of("severity", "rule", "where", "message")));
        tables.add(table(
                "Routes: time with an eligible, in-sync mirror",
                null,
                r.path("routes"),
                List.of("route", "eligibleShare", "withoutEligibleMirrorSeconds", "switches", "observedFrom")));
        return tables;
    }

    private static Table table(String title, String note, JsonNode rows, List<String> columns) {
        Function<JsonNode, List<String>> cells = row -> columns.stream()
                .map(c -> {
                    JsonNode v = row.path(c);
                    return v.isMissingNode() || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
                })
                .toList();
        List<List<String>> out = new ArrayList<>();
        rows.forEach(row -> out.add(cells.apply(row)));
        return new Table(title, note, columns, out);
    }

    private static String mdCell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
