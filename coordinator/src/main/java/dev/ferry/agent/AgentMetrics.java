package dev.ferry.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * The route agent's meters. Every series of a route exists from the start (at 0), so a
 * dashboard reads 0 rather than "No data" before the first change.
 */
public final class AgentMetrics {

    /** Poll outcomes: a new answer (files checked, maybe written), unchanged (304), or failed. */
    public static final List<String> OUTCOMES = List.of("changed", "unchanged", "failed");

    private final MeterRegistry registry;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a route's series; {@code status} feeds its gauges. */
    void register(String route, Supplier<RouteStatus.Snapshot> status) {
        OUTCOMES.forEach(o -> poll(route, o));
        List.of(NodeFile.HOSTS_TOML, NodeFile.REGISTRIES_CONF).forEach(f -> writes(route, f));
        Gauge.builder("ferry.route.agent.current", () -> status.get().current() ? 1 : 0)
                .description("1 when the last poll of the route succeeded and the node's files hold its answer")
                .tag("route", route)
                .register(registry);
        Gauge.builder("ferry.route.agent.last.success.timestamp", () -> {
                    RouteStatus.Snapshot s = status.get();
                    return s.lastSuccess() == null ? 0 : s.lastSuccess().toEpochMilli() / 1000.0;
                })
                .baseUnit("seconds")
                .description("when the route was last answered (Unix time; 0 before the first answer)")
                .tag("route", route)
                .register(registry);
        Gauge.builder(
                        "ferry.route.agent.consecutive.failures",
                        () -> status.get().consecutiveFailures())
                .description("polls of the route that failed in a row")
                .tag("route", route)
                .register(registry);
    }

    Counter poll(String route, String outcome) {
        return Counter.builder("ferry.route.agent.polls")
                .description("polls of a route by outcome")
                .tags("route", route, "outcome", outcome)
                .register(registry);
    }

    Counter writes(String route, String file) {
        return Counter.builder("ferry.route.agent.writes")
                .description("files replaced because the route changed")
                .tags("route", route, "file", file)
                .register(registry);
    }
}
