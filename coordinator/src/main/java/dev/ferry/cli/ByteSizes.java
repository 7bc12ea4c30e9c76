package dev.ferry.cli;

import dev.ferry.coordinator.preview.PreviewText;

/** Human-readable byte counts (binary units). */
final class ByteSizes {

    private ByteSizes() {}

    static String format(double bytes) {
        return PreviewText.bytes(bytes);
    }
}
