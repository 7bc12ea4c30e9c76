package dev.ferry.config.model;

import java.time.Duration;

/**
 * How registries are probed and when routes switch.
 *
 * @param downAfter failed probes in a row before a registry counts as down
 * @param failbackAfter how long a recovered, caught-up mirror must stay healthy before
 *     consumers are routed back to it
 */
public record FailoverConfig(Duration probeInterval, int downAfter, Duration failbackAfter) {

  public static FailoverConfig defaults() {
    return new FailoverConfig(Duration.ofSeconds(10), 3, Duration.ofMinutes(5));
  }
}
