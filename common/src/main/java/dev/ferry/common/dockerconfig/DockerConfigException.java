package dev.ferry.common.dockerconfig;

/**
 * A Docker config file or credential helper that cannot give a registry's credentials. The
 * message names the file, the helper and the registry, never a secret.
 */
public final class DockerConfigException extends RuntimeException {

    private final boolean temporary;

    public DockerConfigException(String message, boolean temporary) {
        super(message);
        this.temporary = temporary;
    }

    /** A helper that timed out may answer next time; a missing file or helper will not. */
    public boolean isTemporary() {
        return temporary;
    }
}
