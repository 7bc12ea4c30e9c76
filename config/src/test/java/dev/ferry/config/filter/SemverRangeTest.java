package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemverRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
      >=1.2 <2;                1.2.0;          true
      >=1.2 <2;                1.9.9;          true
      >=1.2 <2;                2.0.0;          false
      >=1.2 <2;                1.1.9;          false
      '  >=1.2 \t  <2  ';      1.5.0;          true
      >= 1.2 < 2;              1.5.0;          true
      >= 1.2 < 2;              2.0.0;          false
      ^1.2 || ~2.0;            1.5.0;          true
      ^1.2 || ~2.0;            2.0.5;          true
      ^1.2 || ~2.0;            2.1.0;          false
      ^1.2 || ~2.0;            1.1.0;          false
      1.2.3;                   1.2.3;          true
      =1.2.3;                  1.2.3;          true
      =1.2.3;                  1.2.3+build.1;  true
      =1.2.3;                  1.2.4;          false
      v1.2.3;                  1.2.3;          true
      =v1.2;                   1.2.5;          true
      >1.2.3;                  1.2.4;          true
      >1.2.3;                  1.2.3;          false
      >1.2;                    1.2.9;          false
      >1.2;                    1.3.0;          true
      >1;                      1.9.0;          false
      >1;                      2.0.0;          true
      <=1.2;                   1.2.9;          true
      <=1.2;                   1.3.0;          false
      <=1.2.3;                 1.2.3;          true
      <1.2;                    1.1.9;          true
      <1.2;                    1.2.0;          false
      <2;                      1.9.9;          true
      <2;                      2.0.0;          false
      ^1.2.3;                  1.9.0;          true
      ^1.2.3;                  1.2.2;          false
      ^1.2.3;                  2.0.0;          false
      ^0.2.3;                  0.2.3;          true
      ^0.2.3;                  0.2.9;          true
      ^0.2.3;                  0.2.2;          false
      ^0.2.3;                  0.3.0;          false
      ^0.2.3;                  1.0.0;          false
      ^0.0.3;                  0.0.3;          true
      ^0.0.3;                  0.0.4;          false
      ^0.0;                    0.0.9;          true
      ^0.0;                    0.1.0;          false
      ^0;                      0.9.0;          true
      ^0;                      1.0.0;          false
      ^0.x;                    0.5.0;          true
      ^0.x;                    1.0.0;          false
      ^1.x;                    1.9.0;          true
      ^1.x;                    2.0.0;          false
      ~1;                      1.9.9;          true
      ~1;                      0.9.0;          false
      ~1;                      2.0.0;          false
      ~1.2;                    1.2.9;          true
      ~1.2;                    1.3.0;          false
      ~1.2.3;                  1.2.3;          true
      ~1.2.3;                  1.2.9;          true
      ~1.2.3;                  1.2.2;          false
      ~1.2.3;                  1.3.0;          false
      ~0.2.3;                  0.2.5;          true
      1.x;                     1.0.0;          true
      1.x;                     1.99.0;         true
      1.x;                     2.0.0;          false
      1.x;                     0.9.0;          false
      1.X;                     1.5.0;          true
      1;                       1.5.0;          true
      1.2.*;                   1.2.7;          true
      1.2.*;                   1.3.0;          false
      1.*.*;                   1.3.0;          true
      *;                       0.0.0;          true
      *;                       99.0.0;         true
      x;                       3.0.0;          true
      >=*;                     3.0.0;          true
      1.2 - 1.4;               1.2.0;          true
      1.2 - 1.4;               1.4.9;          true
      1.2 - 1.4;               1.5.0;          false
      1.2 - 1.4;               1.1.9;          false
      1.2.3 - 1.4.5;           1.4.5;          true
      1.2.3 - 1.4.5;           1.4.6;          false
      1.2.3 - 1.4.5;           1.2.2;          false
      * - 2;                   0.1.0;          true
      * - 2;                   2.9.0;          true
      * - 2;                   3.0.0;          false
      1 - *;                   1.0.0;          true
      1 - *;                   0.9.0;          false
      1.2.3 - 2.3.4 || 3.x;    3.1.0;          true
      1.2.3 - 2.3.4 || 3.x;    2.5.0;          false
      1.0 - 2.0 >=1.5;         1.4.0;          false
      1.0 - 2.0 >=1.5;         1.6.0;          true
      """)
    void containsReleases(String range, String version, boolean expected) {
        assertThat(SemverRange.parse(range).contains(Semver.parse(version).orElseThrow()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
      *;                                   1.0.0-rc.1;     false
      ^1.2;                                1.3.0-rc.1;     false
      >=1.2 <2;                            2.0.0-rc.1;     false
      <1.2.3;                              1.2.3-rc.1;     false
      >=1.2.3-rc.1;                        1.2.3-rc.2;     true
      >=1.2.3-rc.1;                        1.2.3-rc.0;     false
      >=1.2.3-rc.1;                        1.2.4-rc.1;     false
      >=1.2.3-rc.1;                        1.2.3;          true
      >=1.2.3-rc.1;                        1.2.4;          true
      >=1.2.3-rc.1 <1.3;                   1.2.3-rc.5;     true
      <1.2.3-rc.2;                         1.2.3-rc.1;     true
      ~1.2.3-beta.2;                       1.2.3-beta.4;   true
      ~1.2.3-beta.2;                       1.2.4-beta.1;   false
      ^1.2.3-beta.2;                       1.2.3-beta.10;  true
      ^1.2.3-beta.2;                       1.2.3-beta.1;   false
      1.2.3-rc.1;                          1.2.3-rc.1;     true
      1.2.3-rc.1;                          1.2.3-rc.2;     false
      1.2.3-rc.1 - 1.4.0;                  1.2.3-rc.3;     true
      1.2.3 - 1.4.0-rc.2;                  1.4.0-rc.1;     true
      1.2.3 - 1.4.0-rc.2;                  1.4.0-rc.3;     false
      >=1.0.0-rc.1 <2 || >=2.0.0-beta;     2.0.0-rc.1;     true
      >=1.0.0-rc.1 <2;                     2.0.0-rc.1;     false
      """)
    void containsPreReleasesOnlyWhenNamedOnTheSameVersion(String range, String version, boolean expected) {
        assertThat(SemverRange.parse(range).contains(Semver.parse(version).orElseThrow()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
      ``;              range is empty
      `   `;           range is empty
      >=x.y;           expected a number, 'x' or '*' but found 'y' at column 5
      >>1;             unknown operator '>>' at column 1
      =>1;             unknown operator '=>' at column 1
      ~>1.2;           unknown operator '~>' at column 1
      !=1;             unknown operator '!=' at column 1
      >=;              operator '>=' without a version at column 1
      >=1 <;           operator '<' without a version at column 5
      1.2 ||;          empty alternative next to '||' at column 5
      || 1.2;          empty alternative next to '||' at column 1
      1 || || 2;       empty alternative next to '||' at column 3
      1.2 | 1.3;       single '|' (use '||' between alternatives) at column 5
      1.2.3.4;         more than three version components at column 6
      01.2;            leading zero in '01' at column 1
      >=1.02;          leading zero in '02' at column 5
      1.2-1.4;         a pre-release needs a full MAJOR.MINOR.PATCH version (put spaces around '-' for a hyphen range) at column 4
      1.x-rc.1;        a pre-release needs a full MAJOR.MINOR.PATCH version (put spaces around '-' for a hyphen range) at column 4
      1.2 -;           a hyphen range needs a version on both sides of '-' at column 5
      - 1.2;           a hyphen range needs a version on both sides of '-' at column 1
      >1 - 2;          a hyphen range cannot have operators at column 1
      >*;              '>*' matches no version at column 1
      <x;              '<x' matches no version at column 1
      1.x.3;           a number cannot follow a wildcard at column 5
      latest;          expected a number, 'x' or '*' but found 'l' at column 1
      >=v;             expected a number, 'x' or '*' but found the end at column 4
      1.2.3-rc.01;     leading zero in numeric pre-release identifier '01' at column 10
      1.2.3-;          empty pre-release identifier at column 7
      ^99999999999;    number '99999999999' is too large at column 2
      <=2147483647;    version number 2147483647 is too large at column 3
      1.2.3junk;       unexpected 'j' at column 6
      """)
    void rejectsGarbageNamingRangeProblemAndColumn(String range, String problem) {
        assertThatThrownBy(() -> SemverRange.parse(range))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage("invalid semver range \"" + range + "\": " + problem);
    }

    @Test
    void rejectsNullRange() {
        assertThatThrownBy(() -> SemverRange.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void keepsRangeAsWritten() {
        assertThat(SemverRange.parse("^1.2 || ~2.0")).hasToString("^1.2 || ~2.0");
    }
}
