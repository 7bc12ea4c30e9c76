package dev.ferry.config.load;

import dev.ferry.common.digest.Digest;
import dev.ferry.config.model.PinnedDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds {@code source.digests}: each item is a digest ({@code sha256:HEX}), copied under no
 * tag, or a mapping {@code {digest, tag}} that writes it under that tag on every target.
 */
final class SourceDigests {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private SourceDigests() {}

    static List<PinnedDigest> bind(Section source) {
        List<Object> items = source.stringsOrSections("digests", "digest");
        if (items == null) {
            return List.of();
        }
        if (source.has("digests") && items.isEmpty()) {
            source.problem("digests", "list at least one digest, or leave digests out");
        }
        List<PinnedDigest> out = new ArrayList<>();
        Map<String, String> tagToDigest = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            int index = i;
            if (item instanceof String text) {
                if (valid(text, m -> source.problemAtItem("digests", index, m))) {
                    out.add(new PinnedDigest(text, null));
                }
            } else if (item instanceof Section d) {
                String digest = d.requiredString("digest");
                String tag = d.string("tag");
                boolean ok = digest != null && valid(digest, m -> d.problem("digest", m));
                if (tag != null && !TAG.matcher(tag).matches()) {
                    d.problem(
                            "tag",
                            "invalid tag \"" + tag + "\": up to 128 letters, digits, '_', '.' and '-', not starting"
                                    + " with '.' or '-'");
                    ok = false;
                }
                if (ok && tag != null) {
                    String other = tagToDigest.putIfAbsent(tag, digest);
                    if (other != null && !other.equals(digest)) {
                        d.problem(
                                "tag",
                                "tag \"" + tag + "\" is already given to " + other + "; one tag holds one digest");
                        ok = false;
                    }
                }
                if (ok) {
                    out.add(new PinnedDigest(digest, tag));
                }
            }
        }
        return out;
    }

    private static boolean valid(String digest, java.util.function.Consumer<String> problem) {
        try {
            Digest.parse(digest);
            return true;
        } catch (IllegalArgumentException e) {
            problem.accept(
                    "invalid digest \"" + digest + "\": " + e.getMessage() + " (give sha256: and 64 hex digits)");
            return false;
        }
    }
}
