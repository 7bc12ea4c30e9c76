package dev.ferry.coordinator.pull;

import java.io.Serializable;

/**
 * A tag's pulls as two exponentially decaying counts: {@code slow} with the long half-life and
 * {@code fast} with a quarter of it. Each pull adds 1 to both; between pulls both decay. A count
 * with half-life h approximates (pull rate) x h / ln 2, so comparing the two counts scaled by
 * their half-lives tells whether pulls are rising.
 *
 * @param at when the counts were last brought up to date, epoch millis
 */
public record PullScore(double slow, double fast, long at) implements Serializable {

    /** How far above its long-run rate the recent rate must be for a tag to count as rising. */
    static final double RISING_FACTOR = 1.5;
    /**
     * A tag needs more than one recent pull before its trend means anything (two pulls a moment
     * apart count a hair under 2, having decayed in between).
     */
    static final double RISING_MIN_FAST = 1.5;

    public static PullScore none(long now) {
        return new PullScore(0, 0, now);
    }

    /** The counts decayed to {@code now}. */
    public PullScore at(long now, long halfLifeMillis) {
        long elapsed = Math.max(0, now - at);
        return new PullScore(slow * decay(elapsed, halfLifeMillis), fast * decay(elapsed, halfLifeMillis / 4), now);
    }

    public PullScore plusOne(long now, long halfLifeMillis) {
        PullScore d = at(now, halfLifeMillis);
        return new PullScore(d.slow + 1, d.fast + 1, now);
    }

    /** Recent pulls clearly above the long-run rate (both counts already decayed to the same moment). */
    public boolean rising() {
        // fast/(h/4) against slow/h: the rates, up to the same factor ln 2 / h.
        return fast >= RISING_MIN_FAST && fast * 4 > slow * RISING_FACTOR;
    }

    private static double decay(long elapsedMillis, long halfLifeMillis) {
        return Math.pow(0.5, (double) elapsedMillis / Math.max(1, halfLifeMillis));
    }
}
