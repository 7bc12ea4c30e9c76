package dev.ferry.cli;

import dev.ferry.coordinator.run.RunViews;
import java.time.Duration;
import java.util.Map;

/** One-line summaries of runs for people. */
final class Summaries {

    private Summaries() {}

    static String run(RunViews.Run r) {
        Map<String, Integer> c = r.counts();
        StringBuilder sb = new StringBuilder();
        sb.append("policy ")
                .append(r.policy())
                .append(": ")
                .append(r.state())
                .append(" (run ")
                .append(r.run());
        if (r.endedAt() != null) {
            sb.append(", ")
                    .append(Duration.between(r.startedAt(), r.endedAt()).toMillis() / 1000.0)
                    .append(" s");
        }
        sb.append(") ")
                .append(c.getOrDefault("succeeded", 0))
                .append(" copied, ")
                .append(c.getOrDefault("upToDate", 0))
                .append(" up to date");
        for (String bad : new String[] {"failed", "conflict", "rejected", "queued", "leased", "held"}) {
            if (c.getOrDefault(bad, 0) > 0) {
                sb.append(", ").append(c.get(bad)).append(' ').append(bad);
            }
        }
        if (r.error() != null) {
            sb.append("; ").append(r.error());
        }
        if (r.warnings() != null) {
            r.warnings().forEach(w -> sb.append("; warning: ").append(w));
        }
        return sb.toString();
    }
}
