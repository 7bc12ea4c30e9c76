package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryExceptionTest {

    private static final String MANIFEST_UNKNOWN_BODY = """
      {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown",
      "detail":{"Tag":"v9"}}]}""";

    @Test
    void parsesTheSpecErrorBody() {
        RegistryException e =
                RegistryException.fromResponse("GET manifest hub/app:v9", 404, MANIFEST_UNKNOWN_BODY, null);

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errors())
                .containsExactly(new RegistryException.Error(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown"));
        assertThat(e.hasCode(ErrorCode.MANIFEST_UNKNOWN)).isTrue();
        assertThat(e.hasCode(ErrorCode.BLOB_UNKNOWN)).isFalse();
        assertThat(e.isNotFound()).isTrue();
    }

    @Test
    void messageNamesOperationStatusCodeAndRegistryMessage() {
        RegistryException e =
                RegistryException.fromResponse("GET manifest hub/app:v9", 404, MANIFEST_UNKNOWN_BODY, null);

        assertThat(e.getMessage())
                .startsWith("GET manifest hub/app:v9")
                .contains("404")
                .contains("MANIFEST_UNKNOWN")
                .contains("manifest unknown");
    }

    @Test
    void keepsEveryErrorInOrder() {
        String body = """
        {"errors":[
          {"code":"UNAUTHORIZED","message":"authentication required"},
          {"code":"DENIED","message":"requested access to the resource is denied"},
          {"code":"name_unknown"}
        ]}""";

        RegistryException e = RegistryException.fromResponse("PUT blob", 403, body, null);

        assertThat(e.errors())
                .extracting(RegistryException.Error::code)
                .containsExactly(ErrorCode.UNAUTHORIZED, ErrorCode.DENIED, ErrorCode.NAME_UNKNOWN);
        assertThat(e.errors().get(2).message()).isNull();
        assertThat(e.getMessage())
                .contains("UNAUTHORIZED", "DENIED", "NAME_UNKNOWN", "requested access to the resource is denied");
    }

    @Test
    void unknownCodeBecomesUnknown() {
        RegistryException e = RegistryException.fromResponse(
                "GET",
                400,
                "{\"errors\":[{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"storage quota exceeded\"}]}",
                null);

        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.code()).isEqualTo(ErrorCode.UNKNOWN);
            assertThat(err.message()).isEqualTo("storage quota exceeded");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
                "not json",
                "{\"errors\":",
                "{}",
                "[]",
                "null",
                "{\"message\":\"no errors array\"}",
                "",
                "   "
            })
    void bodiesWithoutSpecErrorsAreTolerated(String body) {
        RegistryException e = RegistryException.fromResponse("GET /v2/", 502, body, null);

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.errors()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("GET /v2/: HTTP 502");
    }

    @Test
    void nullBodyIsTolerated() {
        assertThat(RegistryException.fromResponse("HEAD blob", 404, null, null).errors())
                .isEmpty();
    }

    @Test
    void longRegistryMessagesAreTruncated() {
        String longMessage = "x".repeat(5000);
        RegistryException e = RegistryException.fromResponse(
                "GET", 400, "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"" + longMessage + "\"}]}", null);

        assertThat(e.errors().get(0).message().length()).isLessThan(longMessage.length());
        assertThat(e.getMessage().length()).isLessThan(1000);
    }

    @Test
    void retryAfterIsCarried() {
        RegistryException e = RegistryException.fromResponse("GET", 429, "", Duration.ofSeconds(7));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(RegistryException.fromResponse("GET", 429, "", null).retryAfter())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void temporaryStatuses(int status) {
        assertThat(RegistryException.fromResponse("GET", status, "", null).isTemporary())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 413, 416, 501})
    void permanentStatuses(int status) {
        assertThat(RegistryException.fromResponse("GET", status, "", null).isTemporary())
                .isFalse();
    }

    @Test
    void tooManyRequestsCodeIsTemporaryWhateverTheStatus() {
        String body = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your"
                + " pull rate limit.\"}]}";

        assertThat(RegistryException.fromResponse("GET", 403, body, null).isTemporary())
                .isTrue();
        assertThat(RegistryException.fromResponse("GET", 400, body, null).isTemporary())
                .isTrue();
    }

    @Test
    void otherCodesDoNotMakeAPermanentStatusTemporary() {
        RegistryException e = RegistryException.fromResponse("GET", 404, MANIFEST_UNKNOWN_BODY, null);

        assertThat(e.isTemporary()).isFalse();
    }

    @Test
    void networkFailureIsStatusZeroAndTemporary() {
        ConnectException cause = new ConnectException("Connection refused: localhost/127.0.0.1:5000");
        RegistryException e = RegistryException.network("GET /v2/ on localhost:5000", cause);

        assertThat(e.status()).isZero();
        assertThat(e.isTemporary()).isTrue();
        assertThat(e.isNotFound()).isFalse();
        assertThat(e.errors()).isEmpty();
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.getMessage()).contains("GET /v2/ on localhost:5000").contains("Connection refused");
    }

    @Test
    void networkFailureWithoutMessageNamesTheExceptionType() {
        RegistryException e = RegistryException.network("PATCH upload", new IOException());

        assertThat(e.getMessage()).contains("PATCH upload").contains("IOException");
    }

    @Test
    void statusZeroFromConstructorIsTemporary() {
        assertThat(new RegistryException("x", 0, List.of(), null, null).isTemporary())
                .isTrue();
    }

    @Test
    void errorsCannotBeModified() {
        RegistryException e = RegistryException.fromResponse("GET", 404, MANIFEST_UNKNOWN_BODY, null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.errors().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
