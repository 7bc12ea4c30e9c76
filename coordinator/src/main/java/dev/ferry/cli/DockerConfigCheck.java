package dev.ferry.cli;

import dev.ferry.common.dockerconfig.CredentialHelper;
import dev.ferry.common.dockerconfig.DockerConfig;
import dev.ferry.common.dockerconfig.DockerConfigException;
import java.nio.file.Path;

/**
 * What {@code ferry validate} can check of a registry's Docker config without asking for a
 * secret: the file parses, and the helper it names for the registry is installed. The
 * helper is not run: it may prompt, call a cloud API or cost a rate-limited token.
 */
final class DockerConfigCheck {

    private DockerConfigCheck() {}

    static void check(String registry, String host, Path file) {
        DockerConfig config = DockerConfig.read(file);
        if (config.lookup(host) instanceof DockerConfig.Helper h
                && !CredentialHelper.fromEnvironment().isInstalled(h.name())) {
            throw new DockerConfigException(
                    "registry " + registry + ": credential helper docker-credential-" + h.name() + " (" + h.field()
                            + " in " + file + ") was not found on PATH",
                    false);
        }
    }
}
