package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.manifest.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformFilterTest {

    private final PlatformFilter filter = PlatformFilter.of(List.of("linux/amd64", "linux/arm/v7"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "linux/amd64,     true",
        "linux/amd64/v3,  true",
        "linux/arm/v7,    true",
        "linux/arm/v6,    false",
        "linux/arm,       false",
        "linux/arm64/v8,  false",
        "windows/amd64,   false",
    })
    void matchesListedPlatformsAndAnyVariantWhenNoneIsGiven(String platform, boolean expected) {
        assertThat(filter.matches(Platform.parse(platform))).isEqualTo(expected);
    }

    @Test
    void emptyListMatchesEveryPlatform() {
        PlatformFilter all = PlatformFilter.of(List.of());

        assertThat(all.matches(Platform.parse("windows/arm64"))).isTrue();
        assertThat(all.matches(null)).isTrue();
        assertThat(PlatformFilter.of(null).matches(Platform.parse("linux/s390x")))
                .isTrue();
    }

    @Test
    void unknownPlatformIsNotMatchedByANonEmptyFilter() {
        assertThat(filter.matches(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "linux/", "/amd64", "linux/arm64/v8/x"})
    void rejectsMalformedEntriesWithPlatformParseMessage(String entry) {
        assertThatThrownBy(() -> PlatformFilter.of(List.of("linux/amd64", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid platform \"" + entry + "\": expected OS/ARCH or OS/ARCH/VARIANT, e.g. linux/arm64");
    }

    @Test
    void rejectsDuplicates() {
        assertThatThrownBy(() -> PlatformFilter.of(List.of("linux/amd64", "linux/arm64", "linux/amd64")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate platform \"linux/amd64\"");
    }

    @Test
    void variantAndVariantlessEntriesAreNotDuplicates() {
        PlatformFilter both = PlatformFilter.of(List.of("linux/arm64", "linux/arm64/v8"));

        assertThat(both.matches(Platform.parse("linux/arm64/v8"))).isTrue();
    }
}
