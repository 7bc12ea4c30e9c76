package dev.ferry.cli;

import dev.ferry.common.image.ImageRef;
import dev.ferry.common.layout.OciLayoutStore;
import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.reference.Reference;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Connection;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.CredentialSource;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.TlsMaterialException;
import dev.ferry.common.transport.TlsSettings;
import dev.ferry.worker.copy.ImageLocation;
import dev.ferry.worker.resilience.RegistryGuards;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;

/**
 * Opens the store behind a command-line image reference. A registry's requests go through a
 * {@link RegistryGuards} guard with the schedule's default retry settings, so a temporary
 * error (a 5xx, a timeout, a reset) is retried with backoff as in a worker. A one-shot copy
 * has no later work to protect, so its breaker is set so that it practically never opens:
 * the user sees the registry's own error rather than "circuit breaker open".
 */
final class Stores {

    /** Opens only when all of the last 1,000 calls failed, far more than one image makes. */
    private static final Limits ONE_SHOT = new Limits(null, null, null, new BreakerLimits(100, 1_000, 1_000), null);

    private final Vertx vertx;
    private final HttpClientAgent http;
    private final RegistryGuards guards;

    private final Connections connections;

    /** How to reach one side's registry: plain HTTP or TLS with these settings. */
    record Access(boolean plainHttp, TlsSettings tls, String side) {}

    Stores(Vertx vertx, HttpClientAgent http, Connections connections) {
        this.vertx = vertx;
        this.http = http;
        this.connections = connections;
        this.guards = RegistryGuards.of(vertx, new CompositeMeterRegistry());
    }

    ImageLocation open(ImageRef ref, CredentialSource credentials, Access access, RegistryClientOptions options) {
        if (ref instanceof ImageRef.Docker docker) {
            Reference r = docker.reference();
            Connection connection;
            try {
                connection = connections.open(access.tls(), null, r.apiHost(), access.plainHttp());
            } catch (TlsMaterialException e) {
                throw new ExitCodes.UsageException("the " + access.side() + " TLS files: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.UsageException(
                        "the egress proxy for the " + access.side() + " registry: " + e.getMessage());
            }
            RegistryClient client = new RegistryClient(
                    http,
                    new RegistryEndpoint(r.apiHost(), access.plainHttp(), connection),
                    credentials,
                    options,
                    Clock.systemUTC());
            return new ImageLocation(
                    guards.decorate(r.registry(), ONE_SHOT, client), r.registry(), r.repository(), r.identifier());
        }
        ImageRef.Layout layout = (ImageRef.Layout) ref;
        return new ImageLocation(
                new OciLayoutStore(vertx, layout.directory()),
                "oci:" + layout.directory().toAbsolutePath().normalize(),
                "",
                layout.reference());
    }
}
