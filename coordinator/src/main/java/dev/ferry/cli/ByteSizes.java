package dev.ferry.cli;

import java.util.Locale;

/** Human-readable byte counts (binary units). */
final class ByteSizes {

  private ByteSizes() {}

  static String format(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (bytes >= 1024 && i < units.length - 1) {
      bytes /= 1024;
      i++;
    }
    return i == 0 ? String.format(Locale.ROOT, "%.0f %s", bytes, units[i])
        : String.format(Locale.ROOT, "%.1f %s", bytes, units[i]);
  }
}
