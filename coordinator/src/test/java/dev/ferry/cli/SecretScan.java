package dev.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;

/**
 * Collects the secrets a test used and every output it saw, then fails if any secret shows up
 * in any output. A new kind of secret (ledger key, webhook secret, signing key) is one more
 * {@link #secret} call; a new kind of output (an audit file, a webhook reply) one more
 * {@link #output} or {@link #file}. Failure messages name the secret by label, never by value.
 */
final class SecretScan {

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<Map.Entry<String, String>> outputs = new ArrayList<>();

    SecretScan secret(String label, String value) {
        if (value == null || value.length() < 8) {
            throw new IllegalArgumentException("secret " + label + " is too short to scan for reliably");
        }
        secrets.put(label, value);
        return this;
    }

    synchronized SecretScan output(String label, String text) {
        outputs.add(Map.entry(label, text == null ? "" : text));
        return this;
    }

    SecretScan file(String label, Path file) throws IOException {
        return output(label, Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "");
    }

    int outputCount() {
        return outputs.size();
    }

    void assertNoLeaks() {
        List<String> leaks = new ArrayList<>();
        for (var out : outputs) {
            secrets.forEach((label, value) -> {
                if (out.getValue().contains(value)) {
                    leaks.add(label + " appears in " + out.getKey());
                }
            });
        }
        Assertions.assertThat(leaks).as("secrets found in outputs").isEmpty();
    }
}
