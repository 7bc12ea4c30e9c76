package dev.ferry.common.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A registry's pull budget, as Docker Hub announces it on manifest responses:
 * {@code ratelimit-limit: 100;w=21600} (pulls per window of seconds) and
 * {@code ratelimit-remaining: 76;w=21600}. Only a manifest GET counts as a pull; a HEAD does
 * not, which is why Ferry compares digests with HEAD.
 *
 * <p>Before each manifest GET, {@link #acquire} takes one pull from what the registry last
 * said remains (minus the GETs sent since). When nothing remains it refuses with
 * {@link PullBudgetExhaustedException}, so a sync stops before the registry starts answering
 * 429, and the job is held rather than failed. The window slides, so a pull frees up about
 * every {@code window / limit}: after that long one GET is let through to read the budget
 * again. A registry that sends no such headers has no budget and is never refused.
 */
public final class PullBudget {

    /** A refusal waits at least this long, so a tiny window cannot make a hot loop. */
    static final Duration MIN_WAIT = Duration.ofSeconds(1);

    private enum State {
        UNKNOWN,
        NONE,
        KNOWN
    }

    private final String registry;
    private final Clock clock;
    private State state = State.UNKNOWN;
    private long limit = -1;
    private long remaining = -1;
    /** Manifest GETs sent whose responses have not been read: the last count may not include them. */
    private long inFlight;
    /** A GET let through after a refill period is out: its answer says what is left now. */
    private boolean probing;

    private Duration window = Duration.ZERO;
    private Instant observedAt = Instant.MIN;

    public PullBudget(String registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * True until a manifest response said whether the registry has a budget: a caller about to
     * GET a manifest first sends a HEAD (free) to learn it, so that jobs starting together do
     * not spend pulls they do not have.
     */
    public synchronized boolean unknown() {
        return state == State.UNKNOWN;
    }

    /**
     * Reads the budget headers of a manifest response (either may be null).
     *
     * @param pull the response answers a GET that {@link #acquire} let through
     * @param status the response's status: only an answer (2xx, 3xx, 404) without budget headers
     *     says the registry has none; a refusal (a 429 from a throttling proxy) says nothing
     * @return true when they carried a budget
     */
    public synchronized boolean observe(boolean pull, int status, String limitHeader, String remainingHeader) {
        if (pull) {
            inFlight = Math.max(0, inFlight - 1);
        }
        Parsed l = Parsed.of(limitHeader);
        Parsed r = Parsed.of(remainingHeader);
        if (r == null) {
            if (state == State.UNKNOWN && (status < 400 || status == 404)) {
                state = State.NONE;
            }
            return false;
        }
        // GETs still in flight may not be in this count yet: assume they are not, and stop early
        // rather than late. Answers overtake each other (a HEAD sent before a GET may answer after
        // it), so within one refill period a count never raises what is left: only a count read
        // after a refill period may.
        long announced = Math.max(0, r.count() - inFlight);
        boolean refilled =
                state != State.KNOWN || (pull && probing) || !clock.instant().isBefore(observedAt.plus(refill()));
        if (pull) {
            probing = false;
        }
        remaining = refilled ? announced : Math.min(remaining, announced);
        state = State.KNOWN;
        if (l != null) {
            limit = l.count();
        }
        Duration w = r.window() != null ? r.window() : l != null ? l.window() : null;
        if (w != null) {
            window = w;
        }
        observedAt = clock.instant();
        return true;
    }

    /** A GET let through by {@link #acquire} got no response. */
    public synchronized void abandoned() {
        inFlight = Math.max(0, inFlight - 1);
    }

    /** Takes one pull for a manifest GET, or fails when the registry said none remain. */
    public synchronized void acquire() {
        if (state != State.KNOWN || remaining > 0) {
            remaining = state == State.KNOWN ? remaining - 1 : remaining;
            inFlight++;
            return;
        }
        Instant next = observedAt.plus(refill());
        Instant now = clock.instant();
        if (!now.isBefore(next)) {
            observedAt = now; // let this one GET through to read the budget again; others wait
            probing = true;
            inFlight++;
            return;
        }
        throw new PullBudgetExhaustedException(registry, limit, window, Duration.between(now, next));
    }

    /** What the registry last said remains, less the GETs since; empty when it announced no budget. */
    public synchronized OptionalLong remaining() {
        return state != State.KNOWN ? OptionalLong.empty() : OptionalLong.of(remaining);
    }

    /** The announced pulls per window; empty when unknown. */
    public synchronized OptionalLong limit() {
        return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /** About how long until one pull frees up in a sliding window. */
    private Duration refill() {
        Duration perPull = limit > 0 && !window.isZero() ? window.dividedBy(limit) : window;
        return perPull.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : perPull;
    }

    /** {@code 100;w=21600}: a count and an optional window in seconds. */
    private record Parsed(long count, Duration window) {
        static Parsed of(String header) {
            if (header == null || header.isBlank()) {
                return null;
            }
            String[] parts = header.split(";");
            try {
                long count = Long.parseLong(parts[0].strip());
                if (count < 0) {
                    return null;
                }
                Duration window = null;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].strip();
                    if (p.startsWith("w=")) {
                        long seconds = Long.parseLong(p.substring(2).strip());
                        if (seconds > 0) {
                            window = Duration.ofSeconds(seconds);
                        }
                    }
                }
                return new Parsed(count, window);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
