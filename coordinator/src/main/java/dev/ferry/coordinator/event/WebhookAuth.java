package dev.ferry.coordinator.event;

import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretException;
import dev.ferry.config.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which registries sent a notification, by the bearer secret it carries
 * ({@code registries[].webhook}). Secrets are read at each call (a rotated one works at once)
 * and compared in constant time; none is ever logged. Reads files: call it off the event loop.
 */
public final class WebhookAuth {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAuth.class);

    private final Supplier<Schedule> schedule;
    private final SecretResolver secrets;

    public WebhookAuth(Supplier<Schedule> schedule, SecretResolver secrets) {
        this.schedule = schedule;
        this.secrets = secrets;
    }

    /** The names of the registries whose secret is {@code presented}; empty when none (or nothing was presented). */
    public List<String> registriesOf(String presented) {
        List<String> out = new ArrayList<>();
        if (presented == null || presented.isEmpty()) {
            return out;
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        for (RegistryConfig r : schedule.get().registries()) {
            if (r.webhook() == null) {
                continue;
            }
            try {
                byte[] expected = secrets.webhookSecret(r.name(), r.webhook()).getBytes(StandardCharsets.UTF_8);
                if (MessageDigest.isEqual(expected, given)) {
                    out.add(r.name());
                }
            } catch (SecretException e) {
                LOG.warn("cannot check webhook secret: {}", e.getMessage());
            }
        }
        return out;
    }

    /** The secret of an {@code Authorization: Bearer SECRET} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String secret = authorization.substring(7).strip();
        return secret.isEmpty() ? null : secret;
    }
}
