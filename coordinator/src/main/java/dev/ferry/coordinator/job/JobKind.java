package dev.ferry.coordinator.job;

/**
 * What a job is for. A job carries its kind in its policy name: a policy's copy has the
 * policy's own name, and the two restore kinds have reserved names no schedule policy can
 * take (names take no parentheses). The names stay as they were, so the API, the tag history
 * and stored jobs read as before; code asks for the kind instead of comparing names.
 */
public enum JobKind {
    /** A policy's copy of a source tag. */
    COPY(null),
    /** An operator's rollback: puts back a digest Ferry wrote before, and overwrites by design. */
    ROLLBACK("(rollback)"),
    /** A drift repair: puts back the digest a policy last wrote; its spec names that policy. */
    REPAIR("(repair)");

    private final String policyName;

    JobKind(String policyName) {
        this.policyName = policyName;
    }

    /** The kind of a job with this policy name. */
    public static JobKind of(String jobPolicy) {
        for (JobKind k : values()) {
            if (k.policyName != null && k.policyName.equals(jobPolicy)) {
                return k;
            }
        }
        return COPY;
    }

    /** The reserved policy name jobs of this kind carry; only for {@link #ROLLBACK} and {@link #REPAIR}. */
    public String policyName() {
        if (policyName == null) {
            throw new IllegalStateException("a copy job carries its policy's own name");
        }
        return policyName;
    }

    /** Whether the job restores a digest an operator or a drift check chose (the conflict rule lets it overwrite). */
    public boolean restores() {
        return this != COPY;
    }
}
