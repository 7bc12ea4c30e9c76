package dev.ferry.coordinator.event;

import io.vertx.core.Future;

/** Where a registry's notifications arrive. */
public interface EventIntake {

    /**
     * A registry's notification envelope. Fails with 401 when {@code secret} is no registry's
     * webhook secret and 400 when the envelope is malformed; either way nothing is done.
     *
     * @param secret the bearer secret the request carried, or null
     */
    Future<EventTriggers.Receipt> receive(String secret, byte[] body);
}
