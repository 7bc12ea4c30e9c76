package dev.ferry.config.model;

import java.time.Instant;

/**
 * One accepted API token, known only by the SHA-256 of its text.
 *
 * @param role {@code viewer}, {@code operator}, {@code admin} or {@code worker}
 * @param sha256 lower-case hex SHA-256 of the token's UTF-8 text
 * @param expires when it stops being accepted, or null for never
 */
public record ApiToken(String name, String role, String sha256, Instant expires) {

    public static final java.util.List<String> ROLES = java.util.List.of("viewer", "operator", "admin", "worker");
}
