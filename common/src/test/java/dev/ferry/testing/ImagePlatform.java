package dev.ferry.testing;

import java.util.Objects;

/** {@code os}/{@code architecture}[/{@code variant}] of a synthetic image. */
public record ImagePlatform(String os, String architecture, String variant) {

    public static final ImagePlatform LINUX_AMD64 = new ImagePlatform("linux", "amd64", null);
    public static final ImagePlatform LINUX_ARM64 = new ImagePlatform("linux", "arm64", null);

    public ImagePlatform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
