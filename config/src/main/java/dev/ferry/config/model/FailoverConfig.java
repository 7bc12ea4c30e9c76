package dev.ferry.config.model;

import java.time.Duration;

/**
 * How registries are probed and when routes switch.
 *
 * @param probeTimeout a probe that has no answer within this counts as failed
 * @param downAfter failed probes in a row before a registry counts as down
 * @param failbackAfter how long a recovered, caught-up mirror must stay healthy before
 *     consumers are routed back to it
 * @param degradedLatency a probe answered slower than this counts as slow
 * @param degradedPercent a registry is degraded when at least this share (in percent) of its
 *     recent probes were slow or failed
 */
public record FailoverConfig(
        Duration probeInterval,
        Duration probeTimeout,
        int downAfter,
        Duration failbackAfter,
        Duration degradedLatency,
        int degradedPercent) {

    public static FailoverConfig defaults() {
        return new FailoverConfig(
                Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Duration.ofMinutes(5), Duration.ofSeconds(2), 30);
    }
}
