package dev.ferry.common.dockerconfig;

import dev.ferry.common.transport.CredentialSource;
import dev.ferry.common.transport.Credentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A registry's credentials from a Docker config file: read from the file, or from the
 * credential helper the file names. The file is read and the helper run on a worker thread,
 * and the answer kept for {@code refreshAfter}; after that, or once the registry refused the
 * credentials (a 401), the next request reads and runs them again. A helper has no way to
 * say when its credentials expire (an ECR password lasts 12 hours), so {@code refreshAfter}
 * should be well below their lifetime.
 */
public final class DockerConfigSource implements CredentialSource {

    public static final Duration DEFAULT_REFRESH_AFTER = Duration.ofMinutes(15);

    private final Vertx vertx;
    private final Path file;
    private final String registry;
    private final String host;
    private final Duration refreshAfter;
    private final CredentialHelper helper;
    private final Clock clock;
    private Future<Credentials> current;
    private Instant fetchedAt = Instant.MIN;

    /**
     * @param registry the registry's name in the schedule (or its host), for errors
     * @param host the registry's host[:port], which the file's entries are matched against
     */
    public DockerConfigSource(
            Vertx vertx,
            Path file,
            String registry,
            String host,
            Duration refreshAfter,
            CredentialHelper helper,
            Clock clock) {
        this.vertx = vertx;
        this.file = file;
        this.registry = registry;
        this.host = host;
        this.refreshAfter = refreshAfter;
        this.helper = helper;
        this.clock = clock;
    }

    @Override
    public synchronized Future<Credentials> current() {
        Future<Credentials> c = current;
        if (c != null && (!c.isComplete() || c.succeeded() && clock.instant().isBefore(fetchedAt.plus(refreshAfter)))) {
            return c;
        }
        fetchedAt = clock.instant();
        Future<Credentials> fetch = vertx.executeBlocking(this::resolve, false);
        current = fetch;
        return fetch;
    }

    @Override
    public synchronized void refused() {
        if (current != null && current.isComplete()) {
            current = null;
        }
    }

    @Override
    public boolean renewable() {
        return true;
    }

    /** Reads the file and, when it names one, runs the helper; blocks. */
    Credentials resolve() {
        DockerConfig config = DockerConfig.read(file);
        DockerConfig.Source source = config.lookup(host);
        if (source instanceof DockerConfig.Inline inline) {
            return inline.credentials();
        }
        if (source instanceof DockerConfig.Helper h) {
            return helper.get(h.name(), h.serverUrl(), registry + " (" + h.field() + " in " + file + ")");
        }
        return Credentials.anonymous();
    }

    @Override
    public String toString() {
        return "credentials of " + host + " from Docker config " + file;
    }
}
