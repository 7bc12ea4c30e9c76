package dev.ferry.worker.lease;

import dev.ferry.common.io.BoundedFiles;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.transport.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Resolves the credentials reference of a leased job in this worker's own environment, at
 * the moment the job starts, so a rotated secret is picked up by the next job. Mirrors the
 * coordinator's {@code SecretResolver} (the worker does not depend on the config module).
 * Errors name the variable or file, never the value.
 */
final class CredentialsResolver {

    /** Secrets are short; a larger file is a mistake (a key bundle, a log). */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    /** A reference this worker cannot resolve. */
    static final class CredentialsException extends RuntimeException {
        CredentialsException(String message) {
            super(message);
        }
    }

    private final Function<String, String> environment;
    private final Path baseDirectory;

    /**
     * @param environment looks up environment variables ({@code System::getenv} in production)
     * @param baseDirectory relative secret files are resolved against it
     */
    CredentialsResolver(Function<String, String> environment, Path baseDirectory) {
        this.environment = environment;
        this.baseDirectory = baseDirectory;
    }

    static CredentialsResolver fromProcess() {
        return new CredentialsResolver(System::getenv, Path.of("").toAbsolutePath());
    }

    Credentials resolve(String registryName, CredentialsRef ref) {
        if (ref == null) {
            return Credentials.anonymous();
        }
        if (ref.tokenFile() != null) {
            return Credentials.bearer(readFile(registryName, "tokenFile", ref.tokenFile()));
        }
        String password;
        if (ref.passwordEnv() != null) {
            password = environment.apply(ref.passwordEnv());
            if (password == null || password.isEmpty()) {
                throw new CredentialsException("registry " + registryName + ": environment variable "
                        + ref.passwordEnv() + " (credentials.passwordEnv) is not set or empty on this worker");
            }
        } else if (ref.passwordFile() != null) {
            password = readFile(registryName, "passwordFile", ref.passwordFile());
        } else {
            throw new CredentialsException("registry " + registryName + ": credentials give no password source");
        }
        if (ref.username() == null || ref.username().isEmpty()) {
            throw new CredentialsException("registry " + registryName + ": credentials.username is empty");
        }
        return Credentials.basic(ref.username(), password);
    }

    private String readFile(String registryName, String field, String file) {
        Path path = baseDirectory.resolve(file).normalize();
        try {
            String value = BoundedFiles.readString(path, MAX_SECRET_BYTES, StandardCharsets.UTF_8)
                    .strip();
            if (value.isEmpty()) {
                throw new CredentialsException(
                        "registry " + registryName + ": credentials." + field + " " + path + " is empty");
            }
            return value;
        } catch (BoundedFiles.RefusedFile e) {
            throw new CredentialsException("registry " + registryName + ": credentials." + field + " " + e.getMessage()
                    + "; it is not a secret file");
        } catch (IOException e) {
            throw new CredentialsException("registry " + registryName + ": cannot read credentials." + field + " "
                    + path + " on this worker (" + e.getClass().getSimpleName() + ")");
        }
    }
}
