package dev.ferry.coordinator.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import org.junit.jupiter.api.Test;

class WorkerSharesTest {

    private static Endpoint endpoint(Integer rps, Integer concurrency) {
        return new Endpoint(
                "hub",
                "https://hub.example.com",
                "team/app",
                "v1",
                null,
                new Limits(rps, concurrency, new RetryLimits(5, 500, 30_000), null, null));
    }

    @Test
    void capsAreDividedAmongWorkersAndTheRestKept() {
        Endpoint shared = WorkerShares.divide(endpoint(50, 16), 3);
        assertThat(shared.limits().requestsPerSecond()).isEqualTo(16);
        assertThat(shared.limits().maxConcurrency()).isEqualTo(5);
        assertThat(shared.limits().retry()).isEqualTo(new RetryLimits(5, 500, 30_000));
        assertThat(shared.repository()).isEqualTo("team/app");
    }

    @Test
    void everyWorkerKeepsAtLeastOneAndUnlimitedStaysUnlimited() {
        Endpoint shared = WorkerShares.divide(endpoint(2, null), 5);
        assertThat(shared.limits().requestsPerSecond()).isEqualTo(1);
        assertThat(shared.limits().maxConcurrency()).isNull();
        assertThat(WorkerShares.divide(new Endpoint("a", "https://a", "r", "v1", null), 4)
                        .limits())
                .isNull();
    }

    @Test
    void aSharedEndpointKeepsItsFallbacksTlsAndProxy() {
        dev.ferry.common.transport.TlsSettings tls =
                new dev.ferry.common.transport.TlsSettings("/etc/ferry/ca.pem", null, null, true);
        Endpoint full = new Endpoint(
                "hub",
                "https://hub.example.com",
                "team/app",
                "v1",
                null,
                new Limits(50, 16, null, null, null),
                java.util.List.of("https://replica.example.com"),
                tls,
                "http://proxy.internal:3128");

        Endpoint shared = WorkerShares.divide(full, 2);

        assertThat(shared.limits().requestsPerSecond()).isEqualTo(25);
        assertThat(shared.fallbackUrls()).containsExactly("https://replica.example.com");
        assertThat(shared.tls()).isEqualTo(tls);
        assertThat(shared.proxy()).isEqualTo("http://proxy.internal:3128");
    }
}
