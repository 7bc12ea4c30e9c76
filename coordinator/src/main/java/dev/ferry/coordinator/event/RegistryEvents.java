package dev.ferry.coordinator.event;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * {@code POST /v1/events/registry}: authenticates the sender by its webhook secret first (401
 * before anything of the body is looked at), then reads the whole envelope (400 when malformed),
 * and only then acts. A refused request changes nothing.
 */
public final class RegistryEvents implements EventIntake {

    private final Vertx vertx;
    private final WebhookAuth auth;
    private final EventTriggers triggers;

    public RegistryEvents(Vertx vertx, WebhookAuth auth, EventTriggers triggers) {
        this.vertx = vertx;
        this.auth = auth;
        this.triggers = triggers;
    }

    @Override
    public Future<EventTriggers.Receipt> receive(String secret, byte[] body) {
        // Secret files are read from disk: off the event loop.
        return vertx.executeBlocking(() -> auth.registriesOf(secret), false).compose(registries -> {
            if (registries.isEmpty()) {
                return Future.failedFuture(unauthenticated(secret));
            }
            List<RegistryEvent> events;
            try {
                events = EventEnvelope.parse(body);
            } catch (ApiException e) {
                return Future.failedFuture(e);
            }
            return triggers.handle(registries, events);
        });
    }

    private static ApiException unauthenticated(String secret) {
        return new ApiException(
                401,
                "unauthenticated",
                secret == null
                        ? "registry events need an Authorization: Bearer header carrying a registry's webhook secret"
                        : "the bearer secret matches no registry's webhook secret");
    }
}
