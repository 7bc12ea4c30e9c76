package dev.ferry.common.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

    @Test
    void parsesOsArchAndVariant() {
        Platform p = Platform.parse("linux/arm64/v8");

        assertThat(p.os()).isEqualTo("linux");
        assertThat(p.architecture()).isEqualTo("arm64");
        assertThat(p.variant()).isEqualTo("v8");
        assertThat(p.osVersion()).isNull();
        assertThat(p.osFeatures()).isNull();
    }

    @Test
    void variantIsOptional() {
        Platform p = Platform.parse("windows/amd64");

        assertThat(p.os()).isEqualTo("windows");
        assertThat(p.architecture()).isEqualTo("amd64");
        assertThat(p.variant()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux/amd64", "linux/arm64/v8", "linux/arm/v7", "windows/amd64"})
    void toStringRoundTrips(String value) {
        assertThat(Platform.parse(value)).hasToString(value);
        assertThat(Platform.parse(Platform.parse(value).toString())).isEqualTo(Platform.parse(value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"linux", "linux/", "/amd64", "/", "//", "linux/arm64/", "linux//v8", "linux/arm64/v8/extra", ""})
    void rejectsMalformedPlatforms(String value) {
        assertThatThrownBy(() -> Platform.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + value + "\"")
                .hasMessageContaining("OS/ARCH");
    }

    @Test
    void platformWithoutVariantMatchesAnyVariant() {
        Platform wanted = Platform.parse("linux/arm64");

        assertThat(wanted.matches(Platform.parse("linux/arm64/v8"))).isTrue();
        assertThat(wanted.matches(Platform.parse("linux/arm64"))).isTrue();
    }

    @Test
    void platformWithVariantMatchesOnlyThatVariant() {
        Platform wanted = Platform.parse("linux/arm/v7");

        assertThat(wanted.matches(Platform.parse("linux/arm/v7"))).isTrue();
        assertThat(wanted.matches(Platform.parse("linux/arm/v6"))).isFalse();
        assertThat(wanted.matches(Platform.parse("linux/arm"))).isFalse();
    }

    @Test
    void osAndArchitectureMustBothMatch() {
        Platform wanted = Platform.parse("linux/amd64");

        assertThat(wanted.matches(Platform.parse("windows/amd64"))).isFalse();
        assertThat(wanted.matches(Platform.parse("linux/arm64"))).isFalse();
        assertThat(wanted.matches(Platform.parse("amd64/linux"))).isFalse();
    }

    @Test
    void matchesIgnoresOsVersionAndFeatures() {
        Platform entry = new Platform("amd64", "windows", null, "10.0.20348.2340", List.of("win32k"));

        assertThat(Platform.parse("windows/amd64").matches(entry)).isTrue();
    }

    @Test
    void nothingMatchesAMissingPlatform() {
        assertThat(Platform.parse("linux/amd64").matches(null)).isFalse();
    }

    @Test
    void entryWithoutOsOrArchitectureDoesNotMatch() {
        Platform wanted = Platform.parse("linux/amd64");

        assertThat(wanted.matches(new Platform(null, "linux", null, null, null)))
                .isFalse();
        assertThat(wanted.matches(new Platform("amd64", null, null, null, null)))
                .isFalse();
    }

    @Test
    void readsDottedJsonFieldNames() throws Exception {
        String json = """
        {"architecture":"amd64","os":"windows","os.version":"10.0.17763.5576",
         "os.features":["win32k"],"unknown":"ignored"}""";

        Platform p = new ObjectMapper().readValue(json, Platform.class);

        assertThat(p.osVersion()).isEqualTo("10.0.17763.5576");
        assertThat(p.osFeatures()).containsExactly("win32k");
    }

    @Test
    void writesDottedJsonFieldNamesAndOmitsNulls() throws Exception {
        String json = new ObjectMapper()
                .writeValueAsString(new Platform("amd64", "windows", null, "10.0", List.of("win32k")));

        assertThat(json)
                .contains("\"os.version\":\"10.0\"")
                .contains("\"os.features\":[\"win32k\"]")
                .doesNotContain("variant")
                .doesNotContain("null");
    }
}
