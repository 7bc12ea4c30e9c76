package dev.ferry.common.dockerconfig;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Builds a {@link DockerConfigSource} from a schedule's or a lease's settings, with Ferry's defaults. */
public final class DockerConfigSources {

    private DockerConfigSources() {}

    /** @param refreshAfter null for {@link DockerConfigSource#DEFAULT_REFRESH_AFTER} */
    public static DockerConfigSource of(
            Vertx vertx, String registry, String host, String file, Duration refreshAfter, Clock clock) {
        return new DockerConfigSource(
                vertx,
                Path.of(file),
                registry,
                host,
                refreshAfter != null ? refreshAfter : DockerConfigSource.DEFAULT_REFRESH_AFTER,
                CredentialHelper.fromEnvironment(),
                clock);
    }
}
