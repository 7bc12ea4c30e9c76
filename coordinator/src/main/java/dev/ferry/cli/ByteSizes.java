package dev.ferry.cli;

/** Human-readable byte counts (binary units). */
final class ByteSizes {

    private ByteSizes() {}

    static String format(double bytes) {
        return dev.ferry.coordinator.preview.PreviewText.bytes(bytes);
    }
}
