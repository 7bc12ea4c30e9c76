package dev.ferry.coordinator.api;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.event.EventEnvelope;
import dev.ferry.coordinator.event.EventIntake;
import dev.ferry.coordinator.event.EventTriggers;
import dev.ferry.coordinator.event.RegistryEvent;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Takes envelopes sent with the secret {@code hook-secret}, parsed as the real intake parses them. */
final class FakeEvents implements EventIntake {

    final List<RegistryEvent> receivedEvents = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Future<EventTriggers.Receipt> receive(String secret, byte[] body) {
        if (!"hook-secret".equals(secret)) {
            return Future.failedFuture(new ApiException(401, "unauthenticated", "no registry has that webhook secret"));
        }
        try {
            List<RegistryEvent> events = EventEnvelope.parse(body);
            receivedEvents.addAll(events);
            return Future.succeededFuture(new EventTriggers.Receipt(events.size(), 0, List.of("apps"), 0));
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
    }
}
