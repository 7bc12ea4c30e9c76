package dev.ferry.config.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnmatchedPatternsTest {

    @Test
    void aTagPatternThatMatchesNothingWholeIsReportedWithThePrefixItProbablyMeant() {
        UnmatchedPatterns p = UnmatchedPatterns.forTags("source.tags", List.of("^v2", "latest"), List.of("-rc$"));
        p.observe(List.of("v2.0.1", "v2.1.0"));
        p.observe(List.of("latest"));

        assertThat(p.warnings())
                .containsExactly(
                        "source.tags.include[0]: tag pattern \"^v2\" matched none of the 3 tags it was tried on; patterns match the "
                                + "whole tag name: did you mean \"v2.*\"?",
                        "source.tags.exclude[0]: tag pattern \"-rc$\" matched none of the 3 tags it was tried on");
    }

    @Test
    void aSubstringIsSuggestedWhenNoPrefixMatches() {
        UnmatchedPatterns p = UnmatchedPatterns.forTags("source.tags", List.of("alpine"), List.of());
        p.observe(List.of("1.2-alpine", "1.2"));
        assertThat(p.warnings()).singleElement().asString().endsWith("did you mean \".*alpine\"?");
    }

    @Test
    void nothingIsReportedWhenEveryPatternMatchedOrNoNameWasSeen() {
        UnmatchedPatterns p = UnmatchedPatterns.forTags("source.tags", List.of("v.*"), List.of());
        assertThat(p.warnings()).isEmpty();
        p.observe(List.of("v1"));
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void aRepositoryGlobWhoseStarStopsAtASlashGetsTheDoubleStarHint() {
        UnmatchedPatterns p = UnmatchedPatterns.forRepositories("source", List.of("team/*", "other"), List.of());
        p.observe(List.of("team/a/app", "team/b/app"));
        assertThat(p.warnings())
                .containsExactly(
                        "source.repositories[0]: repository pattern \"team/*\" matched none of the 2 repositories it was tried on; "
                                + "globs match the whole repository name and * stops at /: did you mean \"team/**\"?",
                        "source.repositories[1]: repository pattern \"other\" matched none of the 2 repositories it was tried on");
    }
}
