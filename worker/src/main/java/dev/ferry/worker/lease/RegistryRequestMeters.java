package dev.ferry.worker.lease;

import dev.ferry.common.transport.RequestObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Registry API requests as {@code ferry_registry_request_seconds}, by the schedule's registry
 * name, HTTP method, request kind and status class: labels from small fixed sets only.
 */
public final class RegistryRequestMeters {

    private RegistryRequestMeters() {}

    /** An observer that records the requests of one registry's client in {@code registry}. */
    public static RequestObserver of(MeterRegistry registry, String registryName) {
        return (method, kind, status, nanos) -> record(registry, registryName, method, kind, status, nanos);
    }

    /** As {@link #of(MeterRegistry, String)}, also recording the pull budget the registry announces. */
    static RequestObserver of(MeterRegistry registry, String registryName, PullBudgetGauges budgets) {
        return new RequestObserver() {
            @Override
            public void observed(String method, String kind, int status, long nanos) {
                record(registry, registryName, method, kind, status, nanos);
            }

            @Override
            public void pullBudget(long limit, long remaining) {
                budgets.record(registryName, limit, remaining);
            }
        };
    }

    private static void record(
            MeterRegistry registry, String registryName, String method, String kind, int status, long nanos) {
        Timer.builder("ferry.registry.request")
                .description("Registry API requests, to the response's headers")
                .tag("registry", registryName)
                .tag("method", method)
                .tag("kind", kind)
                .tag("status", statusClass(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String statusClass(int status) {
        return status <= 0 ? "error" : (status / 100) + "xx";
    }
}
