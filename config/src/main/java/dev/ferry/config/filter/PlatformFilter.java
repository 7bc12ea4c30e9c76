package dev.ferry.config.filter;

import dev.ferry.common.manifest.Platform;
import java.util.ArrayList;
import java.util.List;

/**
 * Selects the platforms of an image index to copy. No entries means every platform; an entry
 * without a variant ({@code linux/arm64}) selects every variant.
 */
public final class PlatformFilter {

    private final List<Platform> wanted;

    private PlatformFilter(List<Platform> wanted) {
        this.wanted = wanted;
    }

    /**
     * Parses {@code OS/ARCH[/VARIANT]} entries (a null list counts as empty), rejecting malformed
     * entries with {@link Platform#parse}'s message, and duplicates.
     */
    public static PlatformFilter of(List<String> platforms) {
        List<Platform> wanted = new ArrayList<>();
        for (String entry : platforms == null ? List.<String>of() : platforms) {
            if (entry == null) {
                throw new IllegalArgumentException("invalid platform: entry is null");
            }
            Platform platform = Platform.parse(entry);
            if (wanted.contains(platform)) {
                throw new IllegalArgumentException("duplicate platform \"" + entry + "\"");
            }
            wanted.add(platform);
        }
        return new PlatformFilter(List.copyOf(wanted));
    }

    /** True when {@code platform} is selected; null (unknown) is selected only by an empty filter. */
    public boolean matches(Platform platform) {
        return wanted.isEmpty() || wanted.stream().anyMatch(w -> w.matches(platform));
    }

    @Override
    public String toString() {
        return wanted.isEmpty() ? "all platforms" : wanted.toString();
    }
}
