package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemverTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', textBlock = """
      1.2.3;                     1.2.3
      v1.2.3;                    1.2.3
      V1.2.3;                    1.2.3
      1;                         1.0.0
      v2;                        2.0.0
      1.2;                       1.2.0
      0.0.0;                     0.0.0
      1.2.3-rc.1;                1.2.3-rc.1
      1.2.3-0.3.7;               1.2.3-0.3.7
      1.2.3-x-y.z--1;            1.2.3-x-y.z--1
      1.2.3+abc;                 1.2.3+abc
      1.2.3-beta+exp.sha.5114f85; 1.2.3-beta+exp.sha.5114f85
      1.2.3+001;                 1.2.3+001
      3.12-alpine;               3.12.0-alpine
      20-slim;                   20.0.0-slim
      2147483647.0.0;            2147483647.0.0
      """)
    void parsesLenientContainerTags(String tag, String canonical) {
        assertThat(Semver.parse(tag)).hasValueSatisfying(v -> assertThat(v).hasToString(canonical));
    }

    @Test
    void exposesComponents() {
        Semver v = Semver.parse("v1.2.3-rc.1+build.7").orElseThrow();

        assertThat(v.major()).isEqualTo(1);
        assertThat(v.minor()).isEqualTo(2);
        assertThat(v.patch()).isEqualTo(3);
        assertThat(v.preRelease()).containsExactly("rc", "1");
        assertThat(v.build()).isEqualTo("build.7");
        assertThat(Semver.parse("1.2.3").orElseThrow().build()).isNull();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(
            strings = {
                "",
                "latest",
                "v",
                "1.2.3.4",
                "01.2.3",
                "1.02.3",
                "1.2.03",
                "1.2.3-rc.01",
                "1.2.3-",
                "1.2.3+",
                "1.2.3-rc..1",
                "1.2.3+a..b",
                "1.x",
                "1.2.*",
                "*",
                "1.2.3rc1",
                "1..2",
                "1.",
                ".1",
                "-1.2.3",
                "1.2.3 ",
                "1.2.3-rc_1",
                "2147483648.0.0",
                "99999999999",
                "vv1",
                "sha256-abc",
                "release-1.2.3",
                "1.2.3-\u00e9"
            })
    void rejectsTagsThatAreNotVersions(String tag) {
        assertThat(Semver.parse(tag)).isEmpty();
    }

    @Test
    void nullTagIsNotAVersion() {
        assertThat(Semver.parse(null)).isEmpty();
    }

    @Test
    void ordersBySemverPrecedence() {
        // The example chain from semver 2.0 section 11, plus numeric core ordering.
        List<String> ascending = List.of(
                "0.9.9",
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.2.0",
                "1.10.0",
                "2.0.0",
                "10.0.0");
        List<Semver> shuffled = new ArrayList<>(
                ascending.stream().map(t -> Semver.parse(t).orElseThrow()).toList());
        Collections.shuffle(shuffled, new Random(42));

        Collections.sort(shuffled);

        assertThat(shuffled).map(Semver::toString).containsExactlyElementsOf(ascending);
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        "1.0.0-2,          1.0.0-10,   -1",
        "1.0.0-99999999999999999999, 1.0.0-100000000000000000000, -1",
        "1.0.0-9,          1.0.0-a,    -1",
        "1.0.0-Z,          1.0.0-a,    -1",
        "1.0.0-rc.1,       1.0.0,      -1",
        "1.0.0+b,          1.0.0+a,     1",
        "1.0.0,            1.0.0+a,    -1",
        "v1.0,             1.0.0,       0",
    })
    void comparesIdentifiersNumericallyOrLexically(String a, String b, int sign) {
        Semver left = Semver.parse(a).orElseThrow();
        Semver right = Semver.parse(b).orElseThrow();

        assertThat(Integer.signum(left.compareTo(right))).isEqualTo(sign);
        assertThat(Integer.signum(right.compareTo(left))).isEqualTo(-sign);
    }

    @Test
    void buildMetadataHasNoPrecedenceButBreaksTies() {
        Semver plain = Semver.parse("1.0.0").orElseThrow();
        Semver built = Semver.parse("1.0.0+abc").orElseThrow();

        assertThat(built.comparePrecedence(plain)).isZero();
        assertThat(built.compareTo(plain)).isPositive();
        assertThat(built).isNotEqualTo(plain);
    }

    @Test
    void equalSpellingsAreEqualValues() {
        assertThat(Semver.parse("v1.2")).isEqualTo(Semver.parse("1.2.0"));
        assertThat(Semver.parse("v1.2")
                        .orElseThrow()
                        .compareTo(Semver.parse("1.2.0").orElseThrow()))
                .isZero();
    }

    @Test
    void constructorRejectsInvalidParts() {
        assertThatThrownBy(() -> new Semver(-1, 0, 0, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> new Semver(1, 0, 0, List.of("01"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'01'");
        assertThatThrownBy(() -> new Semver(1, 0, 0, List.of(), "a..b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a..b'");
        assertThat(new Semver(1, 0, 0, null, null).preRelease()).isEmpty();
    }
}
