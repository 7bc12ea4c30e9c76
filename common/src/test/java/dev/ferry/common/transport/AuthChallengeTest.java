package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthChallengeTest {

    @Test
    void parsesDockerHubBearerChallenge() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.isBasic()).isFalse();
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("service")).isEqualTo("registry.docker.io");
        assertThat(c.param("scope")).isEqualTo("repository:library/nginx:pull");
        assertThat(c.params()).hasSize(3);
    }

    @Test
    void scopeKeepsItsCommasAndColons() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://ghcr.io/token\","
                + "service=\"ghcr.io\",scope=\"repository:org/app:pull,push repository:org/base:pull\"");

        assertThat(c.param("scope")).isEqualTo("repository:org/app:pull,push repository:org/base:pull");
        assertThat(c.param("service")).isEqualTo("ghcr.io");
    }

    @Test
    void realmWithQueryStringIsKept() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.example.com/token?a=1&b=2\",service=\"x\"");

        assertThat(c.param("realm")).isEqualTo("https://auth.example.com/token?a=1&b=2");
    }

    @Test
    void escapedQuotesAndBackslashesAreUnescaped() {
        AuthChallenge c =
                AuthChallenge.parse("Bearer realm=\"https://a/t\",error=\"say \\\"hi\\\"\",path=\"c:\\\\dir\"");

        assertThat(c.param("error")).isEqualTo("say \"hi\"");
        assertThat(c.param("path")).isEqualTo("c:\\dir");
    }

    @Test
    void spacesAroundSeparatorsAreTolerated() {
        AuthChallenge c =
                AuthChallenge.parse("  Bearer   realm = \"https://a/token\" ,  service=\"reg\" , scope=\"s\"  ");

        assertThat(c.param("realm")).isEqualTo("https://a/token");
        assertThat(c.param("service")).isEqualTo("reg");
        assertThat(c.param("scope")).isEqualTo("s");
    }

    @Test
    void unquotedValuesAreRead() {
        AuthChallenge c =
                AuthChallenge.parse("Bearer realm=\"https://a/t\", service=registry, error=insufficient_scope");

        assertThat(c.param("service")).isEqualTo("registry");
        assertThat(c.param("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void emptyQuotedValueIsEmpty() {
        assertThat(AuthChallenge.parse("Bearer realm=\"https://a/t\",service=\"\"")
                        .param("service"))
                .isEmpty();
    }

    @Test
    void parsesBasicChallenge() {
        AuthChallenge c = AuthChallenge.parse("Basic realm=\"Registry Realm\"");

        assertThat(c.isBasic()).isTrue();
        assertThat(c.isBearer()).isFalse();
        assertThat(c.param("realm")).isEqualTo("Registry Realm");
    }

    @Test
    void schemeWithoutParametersIsAccepted() {
        AuthChallenge c = AuthChallenge.parse("Basic");

        assertThat(c.isBasic()).isTrue();
        assertThat(c.params()).isEmpty();
    }

    @Test
    void bearerIsPreferredWhenItComesSecond() {
        AuthChallenge c =
                AuthChallenge.parse("Basic realm=\"basic-realm\", Bearer realm=\"https://auth/token\",service=\"svc\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth/token");
        assertThat(c.param("service")).isEqualTo("svc");
    }

    @Test
    void bearerIsPreferredWhenItComesFirst() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth/token\", Basic realm=\"basic-realm\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth/token");
    }

    @Test
    void paramsOfOneChallengeDoNotLeakIntoAnother() {
        AuthChallenge c = AuthChallenge.parse(
                "Basic realm=\"basic-realm\",charset=\"UTF-8\", Bearer realm=\"https://auth/token\"");

        assertThat(c.params()).containsOnlyKeys("realm");
    }

    @Test
    void firstChallengeIsUsedWhenNoneIsBearer() {
        AuthChallenge c = AuthChallenge.parse("Negotiate, Basic realm=\"r\"");

        assertThat(c.scheme()).isEqualTo("negotiate");
        assertThat(c.params()).isEmpty();
    }

    @Test
    void schemeAndParameterNamesAreCaseInsensitive() {
        AuthChallenge c = AuthChallenge.parse("BEARER REALM=\"https://a/t\",Service=\"s\",sCoPe=\"x\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://a/t");
        assertThat(c.param("REALM")).isEqualTo("https://a/t");
        assertThat(c.param("service")).isEqualTo("s");
        assertThat(c.param("Scope")).isEqualTo("x");
    }

    @Test
    void parameterValuesKeepTheirCase() {
        assertThat(AuthChallenge.parse("Bearer realm=\"https://Auth.Example/Token\"")
                        .param("realm"))
                .isEqualTo("https://Auth.Example/Token");
    }

    @Test
    void missingParameterIsNull() {
        assertThat(AuthChallenge.parse("Bearer realm=\"https://a/t\"").param("scope"))
                .isNull();
    }

    @Test
    void constructorNormalisesAndCopies() {
        java.util.HashMap<String, String> params = new java.util.HashMap<>(Map.of("realm", "r"));
        AuthChallenge c = new AuthChallenge("Basic", params);
        params.put("realm", "changed");

        assertThat(c.scheme()).isEqualTo("basic");
        assertThat(c.param("realm")).isEqualTo("r");
        assertThatThrownBy(() -> c.params().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ",,,", "=", "=value", "\"quoted\"", " , = \"x\""})
    void garbageIsAnIllegalArgument(String header) {
        assertThatThrownBy(() -> AuthChallenge.parse(header))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WWW-Authenticate");
    }

    @Test
    void nullIsAnIllegalArgument() {
        assertThatThrownBy(() -> AuthChallenge.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unterminatedQuotedValueIsReadOrRefusedButDoesNotCrash() {
        Throwable thrown = catchThrowable(() -> AuthChallenge.parse("Bearer realm=\"https://auth.example.com/token"));

        assertThat(thrown)
                .satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isExactlyInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void trailingBackslashInQuotesIsReadOrRefusedButDoesNotCrash() {
        Throwable thrown = catchThrowable(() -> AuthChallenge.parse("Basic realm=\"abc\\"));

        assertThat(thrown)
                .satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isExactlyInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void closedQuoteAtTheVeryEndIsFine() {
        assertThat(AuthChallenge.parse("Basic realm=\"abc\"").param("realm")).isEqualTo("abc");
    }
}
