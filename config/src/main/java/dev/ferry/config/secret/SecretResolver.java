package dev.ferry.config.secret;

import dev.ferry.common.io.BoundedFiles;
import dev.ferry.common.transport.Credentials;
import dev.ferry.config.model.CredentialsConfig;
import dev.ferry.config.model.WebhookConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Turns a credentials reference into credentials at the moment they are needed, so a
 * rotated secret is picked up by the next job and a schedule file never holds one. Errors
 * name the variable or file, never the value.
 */
public final class SecretResolver {

    /** Secrets are short; a larger file is a mistake (a key bundle, a log). */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    private final Function<String, String> environment;
    private final Path baseDirectory;

    /**
     * @param environment looks up environment variables ({@code System::getenv} in production)
     * @param baseDirectory relative secret files are resolved against it
     */
    public SecretResolver(Function<String, String> environment, Path baseDirectory) {
        this.environment = environment;
        this.baseDirectory = baseDirectory;
    }

    public Credentials resolve(String registryName, CredentialsConfig config) {
        if (config == null) {
            return Credentials.anonymous();
        }
        if (config.dockerConfig() != null) {
            throw new SecretException("registry " + registryName + ": credentials come from the Docker config "
                    + config.dockerConfig() + ", which a DockerConfigSource reads when they are needed");
        }
        if (config.tokenFile() != null) {
            return Credentials.bearer(readFile(registryName, "credentials.tokenFile", config.tokenFile()));
        }
        String password;
        if (config.passwordEnv() != null) {
            password = environment.apply(config.passwordEnv());
            if (password == null || password.isEmpty()) {
                throw new SecretException("registry " + registryName + ": environment variable " + config.passwordEnv()
                        + " (credentials.passwordEnv) is not set or empty");
            }
        } else if (config.passwordFile() != null) {
            password = readFile(registryName, "credentials.passwordFile", config.passwordFile());
        } else {
            throw new SecretException("registry " + registryName + ": credentials give no password source");
        }
        return Credentials.basic(config.username(), password);
    }

    /** The shared secret a registry's notifications carry. */
    public String webhookSecret(String registryName, WebhookConfig config) {
        if (config.secretEnv() != null) {
            String secret = environment.apply(config.secretEnv());
            if (secret == null || secret.isEmpty()) {
                throw new SecretException("registry " + registryName + ": environment variable " + config.secretEnv()
                        + " (webhook.secretEnv) is not set or empty");
            }
            return secret;
        }
        return readFile(registryName, "webhook.secretFile", config.secretFile());
    }

    private String readFile(String registryName, String field, String file) {
        Path path = baseDirectory.resolve(file).normalize();
        try {
            String value = BoundedFiles.readString(path, MAX_SECRET_BYTES, StandardCharsets.UTF_8)
                    .strip();
            if (value.isEmpty()) {
                throw new SecretException("registry " + registryName + ": " + field + " " + path + " is empty");
            }
            return value;
        } catch (BoundedFiles.RefusedFile e) {
            throw new SecretException(
                    "registry " + registryName + ": " + field + " " + e.getMessage() + "; it is not a secret file");
        } catch (IOException e) {
            throw new SecretException("registry " + registryName + ": cannot read " + field + " " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
