package dev.ferry.agent;

import dev.ferry.coordinator.health.RouteView;
import java.time.Duration;

/** Where the agent learns its routes: the control API in production, a fake in unit tests. */
public interface RouteSource {

    /** A route as answered, with the tag to send back to wait for its next change. */
    record Answer(RouteView route, String etag) {}

    /**
     * Asks for {@code route}. With {@code etag} set, the source may hold the request up to
     * {@code wait} until the route changes.
     *
     * @return the route, or null when it is still the one {@code etag} names
     * @throws RouteFetchException when there is no usable answer (unreachable, refused, malformed)
     */
    Answer poll(String route, String etag, Duration wait) throws RouteFetchException, InterruptedException;
}
