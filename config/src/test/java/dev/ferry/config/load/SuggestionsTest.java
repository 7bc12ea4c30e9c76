package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> FIELDS = List.of("name", "url", "region", "insecure", "credentials");

    @Test
    void closeMisspellingsFindTheirField() {
        assertThat(Suggestions.closest("regoin", FIELDS)).contains("region");
        assertThat(Suggestions.closest("URL", FIELDS)).contains("url");
        assertThat(Suggestions.closest("credential", FIELDS)).contains("credentials");
        assertThat(Suggestions.closest("insecur", FIELDS)).contains("insecure");
    }

    @Test
    void unrelatedWordsGetNoSuggestion() {
        assertThat(Suggestions.closest("bandwidth", FIELDS)).isEmpty();
        assertThat(Suggestions.closest("x", FIELDS)).isEmpty();
    }

    @Test
    void aSwapOfTwoLettersIsOneEdit() {
        assertThat(Suggestions.distance("tier", "tire")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }
}
