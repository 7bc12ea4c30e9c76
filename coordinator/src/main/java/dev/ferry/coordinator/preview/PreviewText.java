package dev.ferry.coordinator.preview;

import dev.ferry.coordinator.preview.PolicyPreview.Conflict;
import dev.ferry.coordinator.preview.PolicyPreview.LinkTransfer;
import dev.ferry.coordinator.preview.PolicyPreview.TagLine;
import dev.ferry.coordinator.preview.PolicyPreview.TargetPreview;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A plan preview as text for a person about to run Ferry: per policy and target, then links, warnings, errors. */
public final class PreviewText {

    /** Lines listed per section; the rest are counted (the JSON form lists all). */
    static final int SHOWN = 20;

    private PreviewText() {}

    public static String of(PolicyPreview p) {
        StringBuilder s = new StringBuilder();
        s.append("policy ")
                .append(p.policy())
                .append(" (onConflict: ")
                .append(p.onConflict())
                .append(")\n");
        for (TargetPreview t : p.targets()) {
            s.append("  target ")
                    .append(t.registry())
                    .append(": ")
                    .append(t.copies().size())
                    .append(" to copy, ")
                    .append(t.upToDate().size())
                    .append(" up to date, ")
                    .append(t.conflicts().size())
                    .append(" conflict")
                    .append(t.conflicts().size() == 1 ? "" : "s")
                    .append(", ")
                    .append(t.deletes().size())
                    .append(" to delete, ")
                    .append(t.expiries().size())
                    .append(" to expire\n");
            section(s, "copy", t.copies(), PreviewText::copy);
            section(s, "conflict", t.conflicts(), PreviewText::conflict);
            section(s, "delete", t.deletes(), d -> d + " (its source tag is gone; propagateDeletes)");
            section(s, "expire", t.expiries(), d -> d + " (not pulled within the target's ttl)");
        }
        for (LinkTransfer l : p.links()) {
            s.append("  link ")
                    .append(l.from())
                    .append(" -> ")
                    .append(l.to())
                    .append(": ")
                    .append(bytes(l.bytes()))
                    .append(" in ")
                    .append(l.blobs())
                    .append(l.blobs() == 1 ? " blob" : " blobs");
            if (l.bytesPerSecond() == null) {
                s.append(", no quota on this link");
            } else {
                s.append(", at least ")
                        .append(duration(l.estimatedSeconds()))
                        .append(" at its quota of ")
                        .append(bytes(l.bytesPerSecond()))
                        .append("/s");
            }
            s.append('\n');
        }
        p.warnings().forEach(w -> s.append("  warning: ").append(w).append('\n'));
        p.errors().forEach(e -> s.append("  error: ").append(e).append('\n'));
        return s.toString();
    }

    /** One line over every policy: what a run of all of them would do. */
    public static String summary(List<PolicyPreview> all) {
        int copies = 0;
        int current = 0;
        int conflicts = 0;
        int removals = 0;
        long bytes = 0;
        int errors = 0;
        int warnings = 0;
        for (PolicyPreview p : all) {
            for (TargetPreview t : p.targets()) {
                copies += t.copies().size();
                current += t.upToDate().size();
                conflicts += t.conflicts().size();
                removals += t.deletes().size() + t.expiries().size();
            }
            bytes += p.links().stream().mapToLong(LinkTransfer::bytes).sum();
            errors += p.errors().size();
            warnings += p.warnings().size();
        }
        return String.format(
                Locale.ROOT,
                "plan: %d %s: %d to copy (%s), %d up to date, %d conflict%s, %d to delete or "
                        + "expire, %d error%s, %d warning%s",
                all.size(),
                all.size() == 1 ? "policy" : "policies",
                copies,
                bytes(bytes),
                current,
                conflicts,
                conflicts == 1 ? "" : "s",
                removals,
                errors,
                errors == 1 ? "" : "s",
                warnings,
                warnings == 1 ? "" : "s");
    }

    private static <T> void section(StringBuilder s, String verb, List<T> items, Function<T, String> line) {
        for (int i = 0; i < Math.min(items.size(), SHOWN); i++) {
            s.append("    ")
                    .append(verb)
                    .append(' ')
                    .append(line.apply(items.get(i)))
                    .append('\n');
        }
        if (items.size() > SHOWN) {
            s.append("    ... and ")
                    .append(items.size() - SHOWN)
                    .append(" more to ")
                    .append(verb)
                    .append(" (--json lists all)\n");
        }
    }

    private static String copy(TagLine l) {
        return l.sourceRepository() + ":" + l.tag() + " -> " + l.targetRepository() + ":" + l.tag()
                + (l.targetDigest() == null
                        ? " (new)"
                        : " (update of Ferry's earlier write " + shortDigest(l.targetDigest()) + ")");
    }

    private static String conflict(Conflict c) {
        return c.tag().targetRepository() + ":" + c.tag().tag() + " holds "
                + shortDigest(c.tag().targetDigest()) + ", source has "
                + shortDigest(c.tag().sourceDigest()) + ": " + c.action() + " (" + c.explanation() + ")";
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    /** Binary units: {@code 23.5 KiB}. */
    public static String bytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (bytes >= 1024 && i < units.length - 1) {
            bytes /= 1024;
            i++;
        }
        return i == 0
                ? String.format(Locale.ROOT, "%.0f %s", bytes, units[i])
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[i]);
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", seconds / 3600, (seconds % 3600) / 60);
    }
}
