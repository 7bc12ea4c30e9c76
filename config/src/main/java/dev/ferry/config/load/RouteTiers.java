package dev.ferry.config.load;

import dev.ferry.config.model.MirrorTier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds a route's {@code tiers:}: each key one of the route's mirrors, each value hot or cold. */
final class RouteTiers {

    private RouteTiers() {}

    /** The tiers written on the route; {@code mirrors} null when the route's list is itself wrong. */
    static Map<String, MirrorTier> bind(Section route, List<String> mirrors) {
        Map<String, String> written = route.stringMap("tiers");
        Map<String, MirrorTier> out = new LinkedHashMap<>();
        if (written == null) {
            return out;
        }
        written.forEach((mirror, value) -> {
            if (mirrors != null && !mirrors.contains(mirror)) {
                route.problemAtEntry(
                        "tiers",
                        mirror,
                        true,
                        "\"" + mirror + "\" is not a mirror of this route: tiers"
                                + " name mirrors from its mirrors: list (" + String.join(", ", mirrors) + ")"
                                + Suggestions.hint(mirror, mirrors));
            } else if (!MirrorTier.yamlNames().contains(value)) {
                route.problemAtEntry(
                        "tiers",
                        mirror,
                        false,
                        "unknown tier \"" + value + "\" for mirror \"" + mirror
                                + "\" (one of " + String.join(", ", MirrorTier.yamlNames()) + ")"
                                + Suggestions.hint(value, MirrorTier.yamlNames()));
            } else {
                out.put(mirror, MirrorTier.valueOf(value.toUpperCase(Locale.ROOT)));
            }
        });
        return out;
    }
}
