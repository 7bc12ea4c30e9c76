package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.CredentialsConfig;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credentials.dockerConfig} and {@code refreshAfter}, and Docker Hub's names in a schedule. */
class DockerCredentialsConfigTest {

    @TempDir
    Path dir;

    private Schedule load(String credentials, String sourceUrl, String repositories) {
        return ScheduleLoader.parse("test.yaml", """
        version: 1
        registries:
          - name: hub
            url: %s
            credentials: %s
          - { name: mirror, url: https://mirror.example.com }
        policies:
          - name: p
            source: { registry: hub, repositories: %s }
            targets: [ { registry: mirror } ]
            trigger: { interval: 5m }
        """.formatted(sourceUrl, credentials, repositories), dir);
    }

    private List<String> problems(String credentials) {
        try {
            load(credentials, "https://hub.example.com", "[team/app]");
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void aDockerConfigIsResolvedAgainstTheScheduleDirectoryWithItsRefreshAfter() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");

        CredentialsConfig c = load(
                        "{ dockerConfig: config.json, refreshAfter: 1h }", "https://hub.example.com", "[team/app]")
                .registry("hub")
                .orElseThrow()
                .credentials();

        assertThat(c)
                .isEqualTo(new CredentialsConfig(
                        null, null, null, null, dir.resolve("config.json").toString(), Duration.ofHours(1)));
    }

    @Test
    void aMissingDockerConfigIsRefusedAtItsLineAndColumn() {
        assertThat(problems("{ dockerConfig: nope.json }"))
                .containsExactly("test.yaml:5:34: "
                        + "registries[0].credentials.dockerConfig: Docker config file " + dir.resolve("nope.json")
                        + " does not exist or is not a file");
    }

    @Test
    void aDockerConfigTakesNoUsernameAndNoOtherSource() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");

        assertThat(problems("{ dockerConfig: config.json, passwordEnv: X }"))
                .anySatisfy(p -> assertThat(p)
                        .contains("give exactly one of passwordEnv, passwordFile, tokenFile or dockerConfig (got 2)"));
        assertThat(problems("{ dockerConfig: config.json, username: ci }"))
                .anySatisfy(p -> assertThat(p)
                        .contains("registries[0].credentials.username: a dockerConfig names the user itself"));
    }

    @Test
    void singleNamesOnDockerHubAreOfficialImagesUnderEveryHubName() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");
        for (String url : List.of("https://docker.io", "https://index.docker.io", "https://registry-1.docker.io")) {
            Policy p = load("{ dockerConfig: config.json }", url, "[nginx, bitnami/redis, \"alp*\"]")
                    .policies()
                    .get(0);

            assertThat(p.source().repositories()).as(url).containsExactly("library/nginx", "bitnami/redis", "alp*");
        }
        Policy elsewhere = load("{ dockerConfig: config.json }", "https://quay.io", "[nginx]")
                .policies()
                .get(0);
        assertThat(elsewhere.source().repositories()).containsExactly("nginx");
    }
}
