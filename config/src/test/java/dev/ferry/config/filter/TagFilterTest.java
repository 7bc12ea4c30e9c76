package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagFilterTest {

    private static final List<String> TAGS = List.of("v1.0", "v1.1-rc", "latest", "v2.0", "main-rc", "v1", "1.5.3");

    @ParameterizedTest(name = "include {0} exclude {1} -> {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
      ^v.*;          .*-rc$;       v1.0,v2.0,v1
      ^v.*;          ``;           v1.0,v1.1-rc,v2.0,v1
      ``;            .*-rc$;       v1.0,latest,v2.0,v1,1.5.3
      v1;            ``;           v1
      v1.*;          v1\\.1.*;     v1.0,v1
      latest,main.*; .*-rc;        latest
      latest,v2.0;   ``;           latest,v2.0
      .*;            .*;           ``
      """)
    void keepsTagsFullyMatchingAnIncludeAndNoExclude(String include, String exclude, String expected) {
        TagFilter filter = TagFilter.of(list(include), list(exclude), null, null);

        assertThat(filter.selectNames(TAGS)).containsExactlyElementsOf(list(expected));
    }

    @Test
    void semverRangeKeepsOnlyVersionsInRange() {
        TagFilter filter = TagFilter.of(List.of(), List.of(), ">=1.2 <2", null);

        assertThat(filter.selectNames(
                        List.of("1.1.0", "v1.2.0", "1.5.3", "2.0.0", "latest", "1.6.0-rc.1", "1.9", "1.2.3.4")))
                .containsExactly("v1.2.0", "1.5.3", "1.9");
    }

    @Test
    void semverRangeAppliesAfterRegexes() {
        TagFilter filter = TagFilter.of(List.of("v.*"), List.of(".*-alpine"), "^3", null);

        assertThat(filter.selectNames(List.of("v3.1", "3.2", "v3.3-alpine", "v4.0", "v3.12-slim")))
                .containsExactly("v3.1");
    }

    @Test
    void latestRanksVersionsThenOtherTagsByCreationTime() {
        List<TagInfo> tags = List.of(
                tag("1.2.0", 10),
                tag("latest", 100),
                tag("nightly", null),
                tag("v1.10.0", 1),
                tag("main", 50),
                tag("sha-abc", 50),
                tag("1.2.0-rc.1", 20),
                tag("1.2", 5));

        List<TagInfo> all = TagFilter.of(null, null, null, 100).select(tags);
        List<TagInfo> top3 = TagFilter.of(null, null, null, 3).select(tags);

        assertThat(all)
                .map(TagInfo::tag)
                .containsExactly("v1.10.0", "1.2", "1.2.0", "1.2.0-rc.1", "latest", "main", "sha-abc", "nightly");
        assertThat(top3).map(TagInfo::tag).containsExactly("v1.10.0", "1.2", "1.2.0");
    }

    @Test
    void latestIsTakenFromTheFilteredTags() {
        TagFilter filter = TagFilter.of(List.of("v.*"), List.of(".*-rc.*"), null, 2);

        assertThat(filter.selectNames(List.of("v1.0.0", "v3.0.0-rc.1", "v2.0.0", "v1.5.0", "9.0.0")))
                .containsExactly("v2.0.0", "v1.5.0");
    }

    @Test
    void latestWithRangeKeepsNewestVersionsInRange() {
        TagFilter filter = TagFilter.of(List.of(), List.of(), "~1.4", 2);

        assertThat(filter.selectNames(List.of("1.4.0", "1.4.10", "1.5.0", "1.4.2", "1.4.9-rc.1")))
                .containsExactly("1.4.10", "1.4.2");
    }

    @Test
    void withoutLatestInputOrderIsKept() {
        TagFilter filter = TagFilter.of(List.of(), List.of(), null, null);
        List<TagInfo> tags = List.of(tag("b", 1), tag("2.0.0", 2), tag("a", 3), tag("1.0.0", 4));

        assertThat(filter.select(tags)).containsExactlyElementsOf(tags);
    }

    /** Equal versions rank by build metadata (highest first), then by tag name. */
    @Test
    void latestOrderDoesNotDependOnInputOrder() {
        List<TagInfo> tags = new ArrayList<>(List.of(
                tag("x", 7),
                tag("y", 7),
                tag("z", null),
                tag("w", null),
                tag("1.0.0+b", 1),
                tag("1.0.0+a", 2),
                tag("v1.0.0", 3),
                tag("1.0.0", 4),
                tag("1.0", 5),
                tag("0.1", 9)));
        TagFilter filter = TagFilter.of(List.of(), List.of(), null, 9);
        List<String> expected = List.of("1.0.0+b", "1.0.0+a", "1.0", "1.0.0", "v1.0.0", "0.1", "x", "y", "w");

        for (int seed = 0; seed < 20; seed++) {
            Collections.shuffle(tags, new Random(seed));

            assertThat(filter.select(tags)).map(TagInfo::tag).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void selectNamesRanksNonVersionsByName() {
        TagFilter filter = TagFilter.of(List.of(), List.of(), null, 3);

        assertThat(filter.selectNames(List.of("main", "dev", "v0.1", "edge"))).containsExactly("v0.1", "dev", "edge");
    }

    @Test
    void rejectsInvalidRegexWithRe2DescriptionAndThePartItRefused() {
        assertThatThrownBy(() -> TagFilter.of(List.of("^v(1"), List.of(), null, null))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e).hasMessageStartingWith("invalid regex \"^v(1\": missing closing ): `^v(1`");
                    assertThat(e.pattern()).isEqualTo("^v(1");
                });
        assertThatThrownBy(() -> TagFilter.of(List.of(), List.of("*-rc"), null, null))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessageStartingWith("invalid regex \"*-rc\": missing argument to repetition operator: `*`");
    }

    @ParameterizedTest(name = "{0} is refused: it needs a backtracking engine")
    @ValueSource(strings = {"(a)\\1", "v(?=1)", "v(?!rc)", "(?<=v)1", "v1++"})
    void refusesPatternsThatNeedBacktracking(String regex) {
        assertThatThrownBy(() -> TagFilter.of(List.of(regex), List.of(), null, null))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessageStartingWith("invalid regex \"" + regex + "\": ")
                .hasMessageEndingWith("(Ferry regexes use RE2 syntax, which runs in linear time and has no "
                        + "backreferences, lookaround or possessive quantifiers)");
    }

    @Test
    void aCatastrophicBacktrackingPatternAnswersPromptly() {
        // java.util.regex needs about 50^12 steps to find that this tag does not match.
        String hostile = "a".repeat(50) + "-";
        TagFilter filter = TagFilter.of(List.of("(.*a){12}"), List.of("(.*a){12}-x"), null, null);

        List<String> kept = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> filter.selectNames(List.of(hostile, "a".repeat(12), "b")));

        assertThat(kept).containsExactly("a".repeat(12));
    }

    @Test
    void rejectsInvalidSemverRange() {
        assertThatThrownBy(() -> TagFilter.of(List.of(), List.of(), ">>1", null))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage("invalid semver range \">>1\": unknown operator '>>' at column 1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsLatestBelowOne(int latest) {
        assertThatThrownBy(() -> TagFilter.of(List.of(), List.of(), null, latest))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid latest " + latest + ": must be at least 1");
    }

    private static TagInfo tag(String name, Integer createdSecond) {
        return new TagInfo(name, createdSecond == null ? null : Instant.ofEpochSecond(createdSecond));
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }
}
