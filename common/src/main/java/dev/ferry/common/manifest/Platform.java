package dev.ferry.common.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A platform entry of an index descriptor. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
        String architecture,
        String os,
        String variant,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures) {

    /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
    public static Platform parse(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length < 2
                || parts.length > 3
                || parts[0].isEmpty()
                || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw new IllegalArgumentException(
                    "invalid platform \"" + value + "\": expected OS/ARCH or OS/ARCH/VARIANT, e.g. linux/arm64");
        }
        return new Platform(parts[1], parts[0], parts.length == 3 ? parts[2] : null, null, null);
    }

    /** True when this (wanted) platform selects {@code other}; a missing variant matches any. */
    public boolean matches(Platform other) {
        if (other == null) {
            return false;
        }
        return os.equals(other.os)
                && architecture.equals(other.architecture)
                && (variant == null || variant.equals(other.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
