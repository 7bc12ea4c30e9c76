package dev.ferry.worker.resilience;

import java.time.Duration;

/**
 * A registry this worker will not call now: its circuit breaker is open. A job that meets
 * it is held, not failed, until {@link #retryIn()} has passed.
 */
public final class RegistryUnavailableException extends RuntimeException {

    private final String registry;
    private final Duration retryIn;

    public RegistryUnavailableException(String registry, Duration retryIn, Throwable cause) {
        super(
                "registry " + registry + " is unavailable (circuit breaker open; next try in "
                        + Math.max(0, retryIn.toMillis()) + " ms)" + (cause == null ? "" : ": " + cause.getMessage()),
                cause);
        this.registry = registry;
        this.retryIn = retryIn;
    }

    public String registry() {
        return registry;
    }

    /** How long until the breaker lets a trial call through. */
    public Duration retryIn() {
        return retryIn;
    }
}
