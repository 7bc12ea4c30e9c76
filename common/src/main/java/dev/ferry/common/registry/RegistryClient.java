package dev.ferry.common.registry;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.BlobUpload;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.Authenticator;
import dev.ferry.common.transport.CredentialSource;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.HttpTransport;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.common.transport.Scopes;
import dev.ferry.common.transport.Timeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A distribution-API registry as an {@link ImageStore}. A thin front: each endpoint lives
 * in its own class, and auth, redirects and errors in {@link HttpTransport}.
 */
public final class RegistryClient implements ImageStore {

    private final RegistryEndpoint endpoint;
    private final HttpTransport transport;
    private final ManifestPuller manifestPuller;
    private final ManifestPusher manifestPusher;
    private final BlobChecker blobChecker;
    private final BlobPuller blobPuller;
    private final BlobPusher blobPusher;
    private final BlobMounter blobMounter;
    private final TagLister tagLister;
    private final ReferrersLister referrersLister;

    public RegistryClient(
            HttpClientAgent http,
            RegistryEndpoint endpoint,
            Credentials credentials,
            RegistryClientOptions options,
            Clock clock) {
        this(http, endpoint, CredentialSource.fixed(credentials), options, clock);
    }

    /** With credentials that may change while the client lives (a credential helper's). */
    public RegistryClient(
            HttpClientAgent http,
            RegistryEndpoint endpoint,
            CredentialSource credentials,
            RegistryClientOptions options,
            Clock clock) {
        this.endpoint = endpoint;
        Timeouts timeouts = new Timeouts(options.connectTimeout(), options.firstByteTimeout(), options.idleTimeout());
        Authenticator auth =
                new Authenticator(http, endpoint.host(), endpoint.connection(), credentials, clock, timeouts);
        this.transport = new HttpTransport(http, endpoint, auth, clock, timeouts);
        this.manifestPuller = new ManifestPuller(transport);
        this.manifestPusher = new ManifestPusher(transport);
        this.blobChecker = new BlobChecker(transport);
        this.blobPuller = new BlobPuller(transport);
        this.blobPusher = new BlobPusher(transport, options.monolithicMax(), options.chunkSize());
        this.blobMounter = new BlobMounter(transport);
        this.tagLister = new TagLister(transport, options.pageSize());
        this.referrersLister = new ReferrersLister(transport, manifestPuller);
    }

    /**
     * An HTTP client suitable for registry traffic: several connections per host (the
     * Vert.x default of 5 would serialise parallel blob copies), keep-alive, no
     * automatic redirects (the transport follows them without leaking credentials).
     */
    public static HttpClientAgent newHttpClient(Vertx vertx, int connectionsPerHost) {
        return newHttpClient(vertx, connectionsPerHost, RegistryClientOptions.DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * As {@link #newHttpClient(Vertx, int)} with another connect timeout. Each client's
     * {@link RegistryClientOptions#connectTimeout()} also applies per request; this one bounds
     * anything else sent through the agent.
     */
    public static HttpClientAgent newHttpClient(Vertx vertx, int connectionsPerHost, Duration connectTimeout) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setMaxRedirects(0);
        return vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(connectionsPerHost))
                .build();
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String describe() {
        return "registry " + endpoint.host();
    }

    /** {@code GET /v2/}: completes when the registry answers and accepts our credentials. */
    public Future<Void> ping() {
        return transport
                .send(HttpTransport.Request.of(HttpMethod.GET, "/v2/", List.of(), "ping"))
                .compose(resp -> transport.expect(resp, "ping", 200))
                .compose(resp -> transport.drain(resp, "ping"));
    }

    @Override
    public Future<Manifest> getManifest(String repository, String reference) {
        return manifestPuller.get(repository, reference);
    }

    @Override
    public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
        return manifestPuller.head(repository, reference);
    }

    @Override
    public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
        return manifestPusher.put(repository, reference, manifest);
    }

    @Override
    public Future<Boolean> hasBlob(String repository, Digest digest) {
        return blobChecker.exists(repository, digest);
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
        return blobPuller.open(repository, blob, 0);
    }

    @Override
    public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob, long offset) {
        return blobPuller.open(repository, blob, offset);
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
        return blobPusher.push(repository, blob, content, null);
    }

    @Override
    public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content, BlobUpload upload) {
        return blobPusher.push(repository, blob, content, upload);
    }

    @Override
    public Future<Long> uploadedBytes(String repository, BlobUpload upload) {
        return blobPusher.status(repository, upload);
    }

    @Override
    public Future<Void> cancelUpload(String repository, BlobUpload upload) {
        return blobPusher.cancel(repository, upload);
    }

    @Override
    public Future<Boolean> mountBlob(String repository, Digest digest, String fromRepository) {
        return blobMounter.mount(repository, digest, fromRepository);
    }

    /** Reports every API request of this client to {@code o} (for metrics). Returns this client. */
    public RegistryClient observe(dev.ferry.common.transport.RequestObserver o) {
        transport.observe(o);
        return this;
    }

    @Override
    public Future<Void> deleteManifest(String repository, String digest) {
        return manifestPusher.delete(repository, digest);
    }

    @Override
    public Future<List<String>> listTags(String repository) {
        return tagLister.tags(repository);
    }

    /** Every repository in the registry ({@code /v2/_catalog}), where the registry allows it. */
    public Future<List<String>> catalog() {
        return tagLister.catalog();
    }

    @Override
    public Future<List<Descriptor>> referrers(String repository, Digest subject) {
        return referrersLister.list(repository, subject);
    }

    /** For tests and diagnostics: the scopes a push to {@code repository} asks for. */
    static List<String> pushScopes(String repository) {
        return Scopes.of(Scopes.push(repository));
    }
}
