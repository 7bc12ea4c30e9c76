package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.lease.LeaseChecks;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Any request body either reads as each endpoint reads it (the lease protocol's four bodies,
 * rollback, token minting, drills, link quotas, failover reasons) or is refused with an
 * {@link ApiException} of status 400: never another exception, which the API would answer with
 * a 500. The body parser is the one every route uses ({@link ApiJson#parseObject}).
 */
class ApiJsonFuzzTest {

    private static final List<Consumer<Body>> READERS = List.of(
            b -> LeaseChecks.leaseRequest(new LeaseProtocol.LeaseRequest(
                    b.requiredText("region"),
                    (int) b.requiredLong("capacity", 1, LeaseChecks.MAX_CAPACITY),
                    (int) b.optionalLong("waitSeconds", 0, LeaseChecks.MAX_WAIT_SECONDS, 0),
                    b.optionalTextList("openBreakers"))),
            b -> LeaseChecks.renew(new LeaseProtocol.RenewRequest(
                    b.requiredLong("bytesDone", 0, Long.MAX_VALUE),
                    b.optionalLong("bytesStreamed", 0, Long.MAX_VALUE, 0))),
            b -> LeaseChecks.commitIntent(new LeaseProtocol.CommitIntent(
                    b.requiredLong("fencingToken", 0, Long.MAX_VALUE),
                    b.requiredText("tag"),
                    b.requiredText("digest"),
                    b.optionalText("current"))),
            b -> {
                long hold = b.optionalLong("holdMillis", 0, LeaseChecks.MAX_HOLD_MILLIS, -1);
                long bytes = b.optionalLong("bytesCopied", 0, Long.MAX_VALUE, -1);
                LeaseChecks.completion(new LeaseProtocol.Completion(
                        b.requiredLong("fencingToken", 0, Long.MAX_VALUE),
                        b.requiredOneOf("outcome", LeaseChecks.OUTCOMES),
                        b.optionalText("error"),
                        b.optionalBoolean("temporary", false),
                        hold < 0 ? null : hold,
                        b.optionalText("reason"),
                        bytes < 0 ? null : bytes));
            },
            b -> List.of(
                    String.valueOf(b.optionalText("run")),
                    String.valueOf(b.optionalText("registry")),
                    String.valueOf(b.optionalText("repository")),
                    String.valueOf(b.optionalText("tag")),
                    String.valueOf(b.optionalText("to"))),
            b -> {
                b.requiredText("name");
                b.requiredOneOf("role", List.of("viewer", "operator", "admin", "worker"));
                duration(b.optionalText("ttl"));
            },
            b -> {
                b.requiredText("registry");
                duration(b.requiredText("duration"));
            },
            b -> b.requiredText("bandwidth"),
            b -> {
                b.optionalText("reason");
                b.optionalBoolean("force", false);
            });

    @FuzzTest(maxDuration = "10s")
    void bodies(byte[] input) {
        Body body;
        try {
            body = ApiJson.parseObject(Buffer.buffer(input));
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return;
        }
        for (Consumer<Body> reader : READERS) {
            try {
                reader.accept(body);
            } catch (ApiException e) {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    /** As the resources do: a duration that does not parse is the caller's mistake (400). */
    private static void duration(String text) {
        if (text == null) {
            return;
        }
        try {
            Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field must be a duration; got \"" + text + "\"");
        }
    }
}
