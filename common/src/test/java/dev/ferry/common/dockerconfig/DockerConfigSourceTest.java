package dev.ferry.common.dockerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.transport.Credentials;
import dev.ferry.testing.CredentialHelperScript;
import dev.ferry.testing.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** When a Docker config source runs its helper again: after refreshAfter, and after a refusal. */
@ExtendWith(VertxExtension.class)
class DockerConfigSourceTest {

    private static Credentials get(DockerConfigSource s) throws Exception {
        return s.current().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theHelperRunsOnceUntilRefreshAfterHasPassedOrTheCredentialsWereRefused(Vertx vertx, @TempDir Path dir)
            throws Exception {
        try (CredentialHelperScript helper = CredentialHelperScript.create("ferryunit", "ci", "first-Pw-1")
                .answerOnCall(2, "second-Pw-2")
                .answerOnCall(3, "third-Pw-3")) {
            Path config = Files.writeString(dir.resolve("config.json"), "{\"credsStore\": \"ferryunit\"}");
            ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
            DockerConfigSource source = new DockerConfigSource(
                    vertx,
                    config,
                    "ecr",
                    "r.example",
                    Duration.ofHours(1),
                    new CredentialHelper(List.of(helper.dir()), Duration.ofSeconds(10)),
                    clock);

            Credentials first = get(source);
            clock.advance(Duration.ofMinutes(59));
            Credentials stillFirst = get(source);
            clock.advance(Duration.ofMinutes(2));
            Credentials second = get(source);
            source.refused();
            Credentials third = get(source);

            assertThat(List.of(first.password(), stillFirst.password(), second.password(), third.password()))
                    .containsExactly("first-Pw-1", "first-Pw-1", "second-Pw-2", "third-Pw-3");
            assertThat(helper.calls()).containsExactly("r.example", "r.example", "r.example");
        }
    }

    @Test
    void aHelperWithoutCredentialsForTheRegistryMeansAnonymous(Vertx vertx, @TempDir Path dir) throws Exception {
        try (CredentialHelperScript helper =
                CredentialHelperScript.create("ferryunit", "ci", "x-Pw-123").knowsNothing()) {
            Path config = Files.writeString(dir.resolve("config.json"), "{\"credsStore\": \"ferryunit\"}");
            DockerConfigSource source = new DockerConfigSource(
                    vertx,
                    config,
                    "hub",
                    "docker.io",
                    Duration.ofHours(1),
                    new CredentialHelper(List.of(helper.dir()), Duration.ofSeconds(10)),
                    Clock.systemUTC());

            assertThat(get(source).isAnonymous()).isTrue();
            assertThat(helper.calls()).containsExactly("https://index.docker.io/v1/");
        }
    }
}
