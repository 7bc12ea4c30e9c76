package dev.ferry.coordinator.health;

import java.io.Serializable;

/**
 * One {@code GET /v2/} probe.
 *
 * @param ok the registry answered 200 or 401 (it is up; 401 only asks for credentials)
 * @param status the HTTP status, or what went wrong: {@code timeout}, {@code connection refused}
 */
public record ProbeResult(long at, long latencyMillis, boolean ok, String status) implements Serializable {}
