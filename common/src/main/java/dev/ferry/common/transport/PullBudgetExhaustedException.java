package dev.ferry.common.transport;

import java.time.Duration;

/**
 * A manifest GET Ferry did not send, because the registry's pull budget (Docker Hub's rate
 * limit) has run out. A job that meets it is held, not failed, for {@link #retryIn()}. Not a
 * {@link RegistryException}: the registry said nothing wrong, and retrying at once cannot help.
 */
public final class PullBudgetExhaustedException extends RuntimeException {

    private final Duration retryIn;

    public PullBudgetExhaustedException(String registry, long limit, Duration window, Duration retryIn) {
        super("registry " + registry + ": pull budget exhausted (0 of " + (limit < 0 ? "?" : limit) + " manifest pulls"
                + (window.isZero() ? "" : " per " + describe(window)) + " left); held, next try in " + describe(retryIn)
                + "; digests are still compared with HEAD, which costs no pulls");
        this.retryIn = retryIn;
    }

    public Duration retryIn() {
        return retryIn;
    }

    private static String describe(Duration d) {
        long s = Math.max(1, d.toSeconds());
        if (s % 3600 == 0) {
            return (s / 3600) + "h";
        }
        if (s >= 60) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return s + "s";
    }
}
