package dev.ferry.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProberTest {

    @Test
    void aUrlThatIsNotHttpIsAFailedProbeNotAnException(Vertx vertx) throws Exception {
        Prober prober = new Prober(vertx, Clock.systemUTC(), Duration.ofSeconds(5));

        ProbeResult result = prober.probe("oci:/var/lib/ferry/layout", Duration.ofSeconds(5))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertThat(result.ok()).isFalse();
        assertThat(result.status()).startsWith("not an http(s) registry URL: ");
    }
}
