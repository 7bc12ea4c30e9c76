package dev.ferry.config.audit;

import dev.ferry.config.yaml.Location;

/**
 * One risky setting: how bad, which rule, where, and what to do.
 *
 * @param rule a stable id, documented in docs/security.md
 */
public record Finding(Severity severity, String rule, Location location, String message) {

    public enum Severity {
        LOW,
        MEDIUM,
        HIGH
    }

    @Override
    public String toString() {
        return location + ": " + severity + " " + rule + ": " + message;
    }
}
