package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
class LeaseApiTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private ApiHarness api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = ApiHarness.start(vertx);
    }

    @Test
    @DisplayName("a lease poll waits for the service and answers 200 with the leases")
    void leaseGranted() throws Exception {
        var pending = api.send(
                HttpMethod.POST,
                "/v1/workers/w-1/leases",
                "{\"region\":\"us-east\",\"capacity\":4,\"waitSeconds\":20,\"future\":1,"
                        + "\"openBreakers\":[\"mirror-eu\"]}");
        Thread.sleep(200);
        assertThat(pending.isComplete()).isFalse();
        assertThat(api.get("/health/live").status())
                .as("other requests are served meanwhile")
                .isEqualTo(200);

        api.leases.completeLease(Optional.of(FakeLeases.oneLease()));
        var reply = ApiHarness.await(pending);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(api.leases.lastWorkerId).isEqualTo("w-1");
        assertThat(api.leases.lastLeaseRequest)
                .isEqualTo(new LeaseProtocol.LeaseRequest("us-east", 4, 20, List.of("mirror-eu")));
        JsonObject lease = reply.json().getJsonArray("leases").getJsonObject(0);
        assertThat(lease.getString("leaseId")).isEqualTo("l-9");
        assertThat(lease.getLong("fencingToken")).isEqualTo(8);
        assertThat(lease.getLong("ttlMillis")).isEqualTo(30_000);
        JsonObject source = lease.getJsonObject("job").getJsonObject("source");
        assertThat(source.getJsonObject("credentials"))
                .isEqualTo(new JsonObject().put("username", "ci").put("passwordEnv", "HUB_EU_PASSWORD"));
        assertThat(lease.getJsonObject("job").getJsonObject("target").containsKey("credentials"))
                .isFalse();
    }

    @Test
    @DisplayName("a lease poll that finds nothing answers 204 without a body")
    void leaseEmpty() throws Exception {
        var pending = api.send(HttpMethod.POST, "/v1/workers/w-1/leases", "{\"region\":\"us-east\",\"capacity\":1}");
        api.leases.completeLease(Optional.empty());
        var reply = ApiHarness.await(pending);

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isNull();
        assertThat(api.leases.lastLeaseRequest.waitSeconds()).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"capacity\":1} | field \"region\" is required",
                "{\"region\":null,\"capacity\":1} | field \"region\" is required",
                "{\"region\":\"\",\"capacity\":1} | field \"region\" must be a non-empty string",
                "{\"region\":7,\"capacity\":1} | field \"region\" must be a non-empty string",
                "{\"region\":\"eu\"} | field \"capacity\" is required",
                "{\"region\":\"eu\",\"capacity\":\"two\"} | field \"capacity\" must be an integer",
                "{\"region\":\"eu\",\"capacity\":1.5} | field \"capacity\" must be an integer",
                "{\"region\":\"eu\",\"capacity\":0} | field \"capacity\" must be between 1 and 256; got 0",
                "{\"region\":\"eu\",\"capacity\":257} | field \"capacity\" must be between 1 and 256; got 257",
                "{\"region\":\"eu\",\"capacity\":1,\"waitSeconds\":61} | field \"waitSeconds\" must be between 0 and 60; got 61",
                "{\"region\":\"eu\" | request body is not valid JSON at line 1, column 15",
                "{\"region\":\"eu\",\"region\":\"us\",\"capacity\":1} | request body is not valid JSON at line 1, column 24",
                "[1] | request body must be a JSON object",
                "'' | request body must be a JSON object; it is empty",
            })
    @DisplayName("a bad lease request answers 400 naming the field")
    void leaseBadRequest(String body, String message) throws Exception {
        var reply = api.post("/v1/workers/w-1/leases", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("code")).isEqualTo("bad_request");
        assertThat(reply.error().getString("message")).isEqualTo(message);
    }

    @Test
    @DisplayName("a body over 64 KiB answers 413 in the error shape")
    void bodyTooLarge() throws Exception {
        String body = "{\"region\":\"" + "x".repeat(70 * 1024) + "\",\"capacity\":1}";

        var reply = api.post("/v1/workers/w-1/leases", body);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error().getString("code")).isEqualTo("payload_too_large");
    }

    @Test
    @DisplayName(
            "a JSON body sent as curl -d sends it (form content type) is refused with 415: a web page can send that")
    void curlDashD(Vertx vertx) throws Exception {
        var reply = WebClient.create(vertx)
                .post(api.port, "127.0.0.1", "/v1/leases/l-1/renew")
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .sendBuffer(Buffer.buffer("{\"bytesDone\":5}"))
                .await(10, TimeUnit.SECONDS);

        assertThat(reply.statusCode()).isEqualTo(415);
        assertThat(reply.bodyAsJsonObject().getJsonObject("error").getString("code"))
                .isEqualTo("unsupported_media_type");
        assertThat(api.leases.lastRenew).isNull();
    }

    @Test
    @DisplayName("renew answers the fresh TTL and bandwidth share")
    void renew() throws Exception {
        var reply = api.post("/v1/leases/l-1/renew", "{\"bytesDone\":1024,\"bytesStreamed\":512}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json())
                .isEqualTo(new JsonObject()
                        .put("ttlMillis", 30_000)
                        .put("bandwidth", 1_048_576)
                        .put("renewMillis", 0));
        assertThat(api.leases.lastRenew).isEqualTo(new LeaseProtocol.RenewRequest(1024, 512));
    }

    @Test
    @DisplayName("renewing a lost lease answers 409 lease_lost")
    void renewLost() throws Exception {
        var reply = api.post("/v1/leases/l-gone/renew", "{\"bytesDone\":0}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.error().getString("code")).isEqualTo("lease_lost");
        assertThat(reply.error().getString("message")).startsWith("lease l-gone is no longer held");
    }

    @Test
    @DisplayName("renew without bytesDone answers 400")
    void renewBadRequest() throws Exception {
        var reply = api.post("/v1/leases/l-1/renew", "{}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).isEqualTo("field \"bytesDone\" is required");
    }

    @Test
    @DisplayName("commit-intent answers the decision; a stale fencing token answers 409")
    void commitIntent() throws Exception {
        var allowed = api.post(
                "/v1/leases/l-1/commit-intent",
                "{\"fencingToken\":7,\"tag\":\"v1.2.3\",\"digest\":\"" + DIGEST + "\"}");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json()).isEqualTo(new JsonObject().put("allowed", true));
        assertThat(api.leases.lastIntent).isEqualTo(new LeaseProtocol.CommitIntent(7, "v1.2.3", DIGEST));

        String other = "sha256:" + "7".repeat(64);
        var withCurrent = api.post(
                "/v1/leases/l-1/commit-intent",
                "{\"fencingToken\":7,\"tag\":\"v1.2.3\",\"digest\":\"" + DIGEST + "\",\"current\":\"" + other + "\"}");
        assertThat(withCurrent.status()).isEqualTo(200);
        assertThat(api.leases.lastIntent).isEqualTo(new LeaseProtocol.CommitIntent(7, "v1.2.3", DIGEST, other));

        var stale = api.post(
                "/v1/leases/l-1/commit-intent",
                "{\"fencingToken\":6,\"tag\":\"v1.2.3\",\"digest\":\"" + DIGEST + "\"}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.error().getString("code")).isEqualTo("lease_lost");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"tag\":\"v1\",\"digest\":\"sha256:00\"} | field \"fencingToken\" is required",
                "{\"fencingToken\":-1,\"tag\":\"v1\"} | field \"fencingToken\" must be between 0 and 9223372036854775807; got -1",
                "{\"fencingToken\":7,\"digest\":\"sha256:00\"} | field \"tag\" is required",
                "{\"fencingToken\":7,\"tag\":\"v1\"} | field \"digest\" is required",
            })
    @DisplayName("a commit-intent the API cannot parse answers 400 naming the field (the rules: LeaseChecksTest)")
    void commitIntentBadRequest(String body, String message) throws Exception {
        var reply = api.post("/v1/leases/l-1/commit-intent", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).isEqualTo(message);
    }

    @Test
    @DisplayName("complete answers 204; completing it again answers 409")
    void complete() throws Exception {
        String body = "{\"fencingToken\":7,\"outcome\":\"failed\",\"error\":\"blob unknown\",\"temporary\":true}";

        var first = api.post("/v1/leases/l-1/complete", body);
        assertThat(first.status()).isEqualTo(204);
        assertThat(first.body()).isNull();
        assertThat(api.leases.lastCompletion)
                .isEqualTo(new LeaseProtocol.Completion(7, "failed", "blob unknown", true));

        var second = api.post("/v1/leases/l-1/complete", body);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.error().getString("code")).isEqualTo("lease_lost");
    }

    @Test
    @DisplayName("a success reaches the service with the bytes the job copied")
    void completeWithBytesCopied() throws Exception {
        var reply = api.post(
                "/v1/leases/l-1/complete", "{\"fencingToken\":7,\"outcome\":\"succeeded\",\"bytesCopied\":123456}");

        assertThat(reply.status()).isEqualTo(204);
        assertThat(api.leases.lastCompletion.bytesCopied()).isEqualTo(123456L);
        assertThat(api.post(
                                "/v1/leases/l-2/complete",
                                "{\"fencingToken\":7,\"outcome\":\"succeeded\"," + "\"bytesCopied\":-1}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    @DisplayName("a rejection by the signature gate reaches the service with its reason")
    void completeSignatureRejection() throws Exception {
        var reply = api.post(
                "/v1/leases/l-1/complete",
                "{\"fencingToken\":7,\"outcome\":\"rejected\",\"error\":\"no cosign signature\",\"reason\":\"signature\"}");

        assertThat(reply.status()).isEqualTo(204);
        assertThat(api.leases.lastCompletion)
                .isEqualTo(
                        new LeaseProtocol.Completion(7, "rejected", "no cosign signature", false, null, "signature"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"fencingToken\":7} | field \"outcome\" is required",
                "{\"fencingToken\":7,\"outcome\":\"done\"} | field \"outcome\" must be one of succeeded, failed, conflict, rejected, held; got \"done\"",
                "{\"fencingToken\":7,\"outcome\":\"held\",\"holdMillis\":-5} | field \"holdMillis\" must be between 0 and 86400000; got -5",
                "{\"fencingToken\":7,\"outcome\":\"failed\",\"error\":{}} | field \"error\" must be a string",
                "{\"fencingToken\":7,\"outcome\":\"failed\",\"temporary\":\"yes\"} | field \"temporary\" must be true or false",
            })
    @DisplayName("a completion the API cannot parse answers 400 naming the field (the rules: LeaseChecksTest)")
    void completeBadRequest(String body, String message) throws Exception {
        var reply = api.post("/v1/leases/l-1/complete", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).isEqualTo(message);
        assertThat(api.leases.heldLeases).contains("l-1");
    }

    @Test
    @DisplayName(
            "a batch of completions answers 200 with one result per item, in order; a lost lease refuses only its item")
    void completeBatch() throws Exception {
        api.leases.heldLeases.add("l-2");
        var reply = api.post(
                "/v1/leases/completions",
                "{\"completions\":["
                        + "{\"leaseId\":\"l-1\",\"completion\":{\"fencingToken\":7,\"outcome\":\"succeeded\"}},"
                        + "{\"leaseId\":\"l-9\",\"completion\":{\"fencingToken\":7,\"outcome\":\"succeeded\"}},"
                        + "{\"leaseId\":\"l-2\",\"completion\":{\"fencingToken\":7,\"outcome\":\"failed\","
                        + "\"error\":\"blob unknown\",\"temporary\":true}}]}");

        assertThat(reply.status()).isEqualTo(200);
        var results = reply.json().getJsonArray("results");
        assertThat(results.size()).isEqualTo(3);
        assertThat(results.getJsonObject(0).getMap())
                .containsEntry("leaseId", "l-1")
                .containsEntry("status", 204);
        assertThat(results.getJsonObject(1).getMap())
                .containsEntry("leaseId", "l-9")
                .containsEntry("status", 409)
                .containsEntry("code", "lease_lost");
        assertThat(results.getJsonObject(2).getMap())
                .containsEntry("leaseId", "l-2")
                .containsEntry("status", 204);
        assertThat(api.leases.heldLeases).doesNotContain("l-1", "l-2");
        assertThat(api.leases.lastCompletion)
                .isEqualTo(new LeaseProtocol.Completion(7, "failed", "blob unknown", true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{} | field \"completions\" is required",
                "{\"completions\":[]} | field \"completions\" must hold between 1 and 32 items; got 0",
                "{\"completions\":[1]} | field \"completions[0]\" must be an object",
                "{\"completions\":[{\"completion\":{\"fencingToken\":7,\"outcome\":\"succeeded\"}}]} | completions[0]: field \"leaseId\" is required",
                "{\"completions\":[{\"leaseId\":\"l-1\",\"completion\":{\"fencingToken\":7,\"outcome\":\"done\"}}]} | completions[0]: field \"outcome\" must be one of succeeded, failed, conflict, rejected, held; got \"done\"",
            })
    @DisplayName("a batch the API cannot parse answers 400 naming the item and field, and completes nothing")
    void completeBatchBadRequest(String body, String message) throws Exception {
        var reply = api.post("/v1/leases/completions", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("message")).isEqualTo(message);
        assertThat(api.leases.heldLeases).contains("l-1");
    }
}
