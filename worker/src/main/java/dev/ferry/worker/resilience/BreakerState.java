package dev.ferry.worker.resilience;

/** A registry's circuit breaker as this worker sees it; {@link #code()} is the gauge value. */
public enum BreakerState {
    CLOSED(0),
    HALF_OPEN(1),
    OPEN(2);

    private final int code;

    BreakerState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
