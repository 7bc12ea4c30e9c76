package dev.ferry.testing;

import java.util.Map;
import java.util.Objects;

/**
 * A {@code notifications.endpoints} entry of a test registry: where it posts its event envelopes,
 * with which extra headers (e.g. {@code Authorization: Bearer SECRET}). Blob events are left out
 * ({@code ignoredmediatypes}), so only manifest pushes, pulls and deletes are sent.
 */
public record RegistryNotification(String name, String url, Map<String, String> headers) {

    public RegistryNotification {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
    }

    /** An endpoint named {@code ferry} sending {@code Authorization: Bearer secret}. */
    public static RegistryNotification bearer(String url, String secret) {
        return new RegistryNotification("ferry", url, Map.of("Authorization", "Bearer " + secret));
    }
}
