package dev.ferry.common.lease;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a leased job ended, as the worker reports it in {@link LeaseProtocol.Completion#outcome()}.
 * The wire carries {@link #wireName()}; this enum is the one list of them.
 */
public enum Outcome {
    /** The tag was written (or was already there). */
    SUCCEEDED,
    /** Something went wrong; retried while temporary and attempts remain. */
    FAILED,
    /** The three-way rule refused the tag write. */
    CONFLICT,
    /** The signature gate refused the source image. */
    REJECTED,
    /** A registry it needs is unavailable: the job waits, no attempt counted. */
    HELD;

    private static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(Outcome::wireName).toList();

    /** The name on the wire and in metrics: {@code succeeded}, {@code failed}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every wire name, in declaration order. */
    public static List<String> wireNames() {
        return WIRE_NAMES;
    }

    /** The outcome a wire name stands for; empty for anything else (null included). */
    public static Optional<Outcome> parse(String wireName) {
        for (Outcome o : values()) {
            if (o.wireName().equals(wireName)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
