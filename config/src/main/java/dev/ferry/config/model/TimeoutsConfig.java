package dev.ferry.config.model;

import java.time.Duration;

/**
 * How long a worker waits on a registry.
 *
 * @param connect to open a connection (TCP and TLS)
 * @param firstByte from sending a request until the response starts
 * @param idle how long a response or upload may move no bytes
 */
public record TimeoutsConfig(Duration connect, Duration firstByte, Duration idle) {

    public static TimeoutsConfig defaults() {
        return new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120));
    }
}
