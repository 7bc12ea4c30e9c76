package dev.ferry.config.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/registries.md has one section per registry type, each with a schedule snippet that
 * Ferry's loader accepts, and README and docs/schedule.md link to it.
 */
class RegistriesDocTest {

    static final Path DOC = Path.of("..", "docs", "registries.md");
    /** The snippets' relative files (docker-config.json) are resolved here, as for the examples. */
    static final Path BASE = Path.of("examples");

    private static final List<String> TYPES = List.of(
            "Docker Hub",
            "GitHub Container Registry",
            "Amazon Elastic Container Registry",
            "Google Artifact Registry",
            "Azure Container Registry",
            "Quay",
            "Harbor",
            "CNCF distribution",
            "Zot");

    /** Section heading to the YAML snippets in it. */
    private static final Map<String, List<String>> snippets = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException {
        String section = null;
        StringBuilder block = null;
        for (String line : Files.readAllLines(DOC)) {
            if (block != null) {
                if (line.equals("```")) {
                    snippets.computeIfAbsent(section, k -> new ArrayList<>()).add(block.toString());
                    block = null;
                } else {
                    block.append(line).append('\n');
                }
            } else if (line.startsWith("## ")) {
                section = line.substring(3);
            } else if (line.equals("```yaml")) {
                block = new StringBuilder();
            }
        }
    }

    @Test
    void everyRegistryTypeHasASectionWithOneSnippetAndTheFactsAUserNeeds() throws IOException {
        String doc = Files.readString(DOC);
        for (String type : TYPES) {
            String heading = snippets.keySet().stream()
                    .filter(h -> h.startsWith(type))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no section for " + type));
            assertThat(snippets.get(heading)).as(heading).hasSize(1);
            String body = doc.substring(doc.indexOf("## " + heading));
            int next = body.indexOf("\n## ", 3);
            body = next < 0 ? body : body.substring(0, next);
            assertThat(body)
                    .as(heading)
                    .contains(
                            "**Endpoint.**",
                            "**Authentication.**",
                            "**Lists repositories?**",
                            "**Uploads.**",
                            "**Rate limits.**",
                            "**TLS.**");
        }
    }

    @Test
    void everySnippetLoadsWithFerrysLoader() {
        int loaded = 0;
        for (var entry : snippets.entrySet()) {
            for (String yaml : entry.getValue()) {
                try {
                    Schedule s = ScheduleLoader.parse("registries.md (" + entry.getKey() + ")", yaml, BASE);
                    assertThat(s.policies()).as(entry.getKey()).isNotEmpty();
                    loaded++;
                } catch (ConfigException e) {
                    throw new AssertionError(
                            "the snippet of " + entry.getKey() + " does not load:\n" + e.getMessage(), e);
                }
            }
        }
        assertThat(loaded).isEqualTo(TYPES.size());
    }

    @Test
    void theDockerHubSnippetMeansOfficialImagesForSingleNames() {
        String yaml = snippets.entrySet().stream()
                .filter(e -> e.getKey().startsWith("Docker Hub"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .get(0);

        Schedule s = ScheduleLoader.parse("hub", yaml, BASE);

        assertThat(s.policies().get(0).source().repositories())
                .containsExactly("library/nginx", "library/alpine", "bitnami/redis");
    }

    @Test
    void theReadmeAndTheScheduleReferenceLinkIt() throws IOException {
        assertThat(Files.readString(Path.of("..", "README.md"))).contains("(docs/registries.md)");
        assertThat(Files.readString(ScheduleDocsTest.DOC)).contains("(registries.md)");
    }
}
