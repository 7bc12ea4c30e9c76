package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryFilterTest {

    private final RepositoryFilter filter =
            RepositoryFilter.of(List.of("team/*", "ops/**"), List.of("team/*-tmp", "ops/secret/**"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "team/api,          true",
        "team/api-tmp,      false",
        "team/api/sub,      false",
        "ops/a/b,           true",
        "ops/secret/key,    false",
        "other/api,         false",
    })
    void includedByOneIncludeAndNoExclude(String repository, boolean expected) {
        assertThat(filter.matches(repository)).isEqualTo(expected);
    }

    @Test
    void emptyIncludeListMeansEverything() {
        RepositoryFilter all = RepositoryFilter.of(List.of(), List.of("**/scratch"));

        assertThat(all.matches("any/thing")).isTrue();
        assertThat(all.matches("x")).isTrue();
        assertThat(all.matches("scratch")).isFalse();
        assertThat(all.matches("a/scratch")).isFalse();
    }

    @Test
    void nullListsCountAsEmpty() {
        assertThat(RepositoryFilter.of(null, null).matches("a/b")).isTrue();
    }

    @Test
    void excludeWinsOverInclude() {
        RepositoryFilter same = RepositoryFilter.of(List.of("team/*"), List.of("team/*"));

        assertThat(same.matches("team/a")).isFalse();
    }

    @Test
    void selectKeepsInputOrder() {
        List<String> repositories = List.of("ops/z", "team/b", "other/a", "team/a-tmp", "team/a", "ops/secret/x");

        assertThat(filter.select(repositories)).containsExactly("ops/z", "team/b", "team/a");
    }

    @Test
    void rejectsInvalidGlobInEitherList() {
        assertThatThrownBy(() -> RepositoryFilter.of(List.of("team/*"), List.of("x/[a")))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage("invalid glob \"x/[a\": unclosed '[' at column 3");
    }
}
