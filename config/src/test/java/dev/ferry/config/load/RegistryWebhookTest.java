package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.WebhookConfig;
import dev.ferry.config.secret.SecretException;
import dev.ferry.config.secret.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry's {@code webhook:} block: exactly one secret source, resolved without ever showing the secret. */
class RegistryWebhookTest {

    private static String schedule(String webhook) {
        return """
        version: 1
        registries:
          - name: hub
            url: https://hub.example.com
            webhook: %s
        """.formatted(webhook);
    }

    private static List<String> problems(String webhook) {
        try {
            ScheduleLoader.parse("test.yaml", schedule(webhook), Path.of("/etc/ferry"));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void aSecretFileIsResolvedAgainstTheScheduleDirectory() {
        RegistryConfig r = ScheduleLoader.parse(
                        "test.yaml", schedule("{ secretFile: hooks/hub }"), Path.of("/etc/ferry"))
                .registry("hub")
                .orElseThrow();

        assertThat(r.webhook()).isEqualTo(new WebhookConfig(null, "/etc/ferry/hooks/hub"));
    }

    @Test
    void aRegistryWithoutTheBlockHasNoWebhook() {
        RegistryConfig r = ScheduleLoader.parse("test.yaml", """
        version: 1
        registries:
          - { name: hub, url: https://hub.example.com }
        """, Path.of("."))
                .registry("hub")
                .orElseThrow();

        assertThat(r.webhook()).isNull();
    }

    @Test
    void bothOrNeitherSourceIsRefusedAtTheBlock() {
        assertThat(problems("{ secretEnv: A, secretFile: b }"))
                .containsExactly("test.yaml:5:14: registries[0].webhook: give exactly one of secretEnv or secretFile");
        assertThat(problems("{ }"))
                .containsExactly("test.yaml:5:14: registries[0].webhook: give exactly one of secretEnv or secretFile");
    }

    @Test
    void theSecretComesFromTheEnvironmentOrAFileAndErrorsNameOnlyTheSource(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hook"), "s3cr3t-from-file\n");
        SecretResolver resolver = new SecretResolver(Map.of("HOOK", "s3cr3t-from-env")::get, dir);

        assertThat(resolver.webhookSecret("hub", new WebhookConfig("HOOK", null)))
                .isEqualTo("s3cr3t-from-env");
        assertThat(resolver.webhookSecret("hub", new WebhookConfig(null, "hook")))
                .isEqualTo("s3cr3t-from-file");
        assertThatThrownBy(() -> resolver.webhookSecret("hub", new WebhookConfig("MISSING", null)))
                .isInstanceOf(SecretException.class)
                .hasMessage("registry hub: environment variable MISSING (webhook.secretEnv) is not set or empty");
    }
}
