package dev.ferry.coordinator.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a job: a hash of (policy, target registry, target repository, tag). The
 * same inputs always give the same id, so planning twice updates a queued job in place
 * instead of queuing a second copy.
 */
public final class JobIds {

    /** Hex characters kept of the sha256: 128 bits, far beyond any collision risk here. */
    public static final int LENGTH = 32;

    /** Cannot occur in a name, a repository or a tag; parts holding it are refused. */
    private static final char SEPARATOR = '\n';

    private JobIds() {}

    /** @throws IllegalArgumentException when a part is null or holds a line break */
    public static String of(String policy, String targetRegistry, String targetRepository, String tag) {
        StringBuilder joined = new StringBuilder();
        append(joined, "policy", policy);
        append(joined, "targetRegistry", targetRegistry);
        append(joined, "targetRepository", targetRepository);
        append(joined, "tag", tag);
        return HexFormat.of().formatHex(sha256(joined.toString())).substring(0, LENGTH);
    }

    private static void append(StringBuilder joined, String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException("job id: " + field + " is null");
        }
        if (value.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("job id: " + field + " holds a line break");
        }
        if (!joined.isEmpty()) {
            joined.append(SEPARATOR);
        }
        joined.append(value);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
