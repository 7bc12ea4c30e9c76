package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
      team/*;          team/a;           true
      team/*;          team/a/b;         false
      team/*;          team/;            true
      team/*;          other/a;          false
      team/*;          xteam/a;          false
      team/**;         team/a;           true
      team/**;         team/a/b;         true
      team/**;         team;             false
      team/**;         teams/a;          false
      **/x;            x;                true
      **/x;            a/b/x;            true
      **/x;            a/bx;             false
      **/x;            x/y;              false
      a/**/b;          a/b;              true
      a/**/b;          a/x/y/b;          true
      a/**/b;          ab;               false
      a**b;            a/x/b;            true
      **;              anything/at/all;  true
      *;               a/b;              false
      *;               ab;               true
      team/?;          team/a;           true
      team/?;          team/ab;          false
      team/?;          team/;            false
      a?b;             a/b;              false
      team/{a,b};      team/a;           true
      team/{a,b};      team/b;           true
      team/{a,b};      team/c;           false
      team/{a,b};      team/ab;          false
      {team,ops}/*;    ops/x;            true
      {team/*,ops};    team/x;           true
      {team/*,ops};    team/x/y;         false
      {**/x,y};        a/x;              true
      {**/x,y};        x;                true
      a{b,c{d,e}}f;    acef;             true
      a{b,c{d,e}}f;    acf;              false
      lib{,s}/x;       lib/x;            true
      lib{,s}/x;       libs/x;           true
      [abc]x;          bx;               true
      [abc]x;          dx;               false
      app-[0-9];       app-7;            true
      app-[0-9];       app-x;            false
      [a-c-];          -;                true
      [!a-c];          d;                true
      [!a-c];          b;                false
      a[!x]b;          a/b;              false
      a[^x]b;          a.b;              true
      team.x;          team.x;           true
      team.x;          teamax;           false
      a+b(c)$^|;       a+b(c)$^|;        true
      a+b;             aab;              false
      `team\\*`;       team*;            true
      `team\\*`;       teamx;            false
      `\\{a,b\\}`;     {a,b};            true
      `[\\]]`;         ];                true
      a,b;             a,b;              true
      Team/*;          team/a;           false
      """)
    void matches(String pattern, String repository, boolean expected) {
        assertThat(Glob.compile(pattern).matches(repository)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
      ``;             pattern is empty
      team/{a,b;      unclosed '{' at column 6
      {a,{b};         unclosed '{' at column 1
      team/{};        empty alternative list '{}' at column 6
      team/[a-;       unclosed '[' at column 6
      team/[]x;       empty character class at column 6
      [!];            empty character class at column 1
      [z-a];          invalid range 'z-a' in character class at column 2
      `team\\`;       trailing '\\' at column 5
      `[a\\`;         trailing '\\' at column 3
      team};          unmatched '}' at column 5
      a]b;            unmatched ']' at column 2
      team/***;       unsupported wildcard '***' at column 6
      """)
    void rejectsBadSyntaxNamingPatternProblemAndColumn(String pattern, String problem) {
        assertThatThrownBy(() -> Glob.compile(pattern))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage("invalid glob \"" + pattern + "\": " + problem);
    }

    @Test
    void syntaxErrorCarriesPatternAndColumn() {
        assertThatThrownBy(() -> Glob.compile("team/{a,b")).isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
            assertThat(e.pattern()).isEqualTo("team/{a,b");
            assertThat(e.column()).isEqualTo(6);
            assertThat(e).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void rejectsNullPattern() {
        assertThatThrownBy(() -> Glob.compile(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void keepsPatternAsWrittenAndComparesByIt() {
        Glob glob = Glob.compile("team/{a,b}");

        assertThat(glob.pattern()).isEqualTo("team/{a,b}");
        assertThat(glob)
                .hasToString("team/{a,b}")
                .isEqualTo(Glob.compile("team/{a,b}"))
                .isNotEqualTo(Glob.compile("team/*"));
    }

    @Test
    void matchesNonAsciiLiteralsAndClasses() {
        assertThat(Glob.compile("caf\u00e9/[\u00e0-\u00ff]").matches("caf\u00e9/\u00e8"))
                .isTrue();
        assertThat(Glob.compile("x/?").matches("x/\uD83D\uDE00")).isTrue();
    }
}
