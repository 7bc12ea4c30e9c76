package dev.ferry.coordinator.security;

import dev.ferry.common.io.BoundedFiles;
import dev.ferry.config.model.ApiConfig;
import dev.ferry.config.model.Schedule;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's security, read from the schedule's {@code api} section at start: TLS
 * server options, the token authenticator and the dev-mode rule (no tokens: loopback only).
 * Reads files, so call it off the event loop.
 */
public final class ApiSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(ApiSecurity.class);

    /** A token key is 32 bytes or so; a larger file is a mistake. */
    static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    private final HttpServerOptions serverOptions;
    private final Authenticator authenticator;
    private final boolean mutualTls;
    private final boolean loopback;
    private final Path certFile;

    private ApiSecurity(
            HttpServerOptions serverOptions,
            Authenticator authenticator,
            boolean mutualTls,
            boolean loopback,
            Path certFile) {
        this.certFile = certFile;
        this.serverOptions = serverOptions;
        this.authenticator = authenticator;
        this.mutualTls = mutualTls;
        this.loopback = loopback;
    }

    /**
     * @param internalWorkerToken the in-process worker's token (standalone), or null
     * @throws IllegalArgumentException with a message naming the field or file at fault, or when
     *     a non-loopback bind has no tokens to protect it
     */
    public static ApiSecurity load(Schedule schedule, String host, int port, String internalWorkerToken, Clock clock) {
        ApiConfig api = schedule.api();
        boolean loopback = isLoopback(host);
        if (api.tokens().isEmpty()) {
            if (!loopback) {
                throw new IllegalArgumentException("refusing to serve the control API on " + host + ": api.tokens is "
                        + "empty, and without tokens (dev mode) the API only binds to loopback (127.0.0.1, ::1, localhost). "
                        + "Add tokens with ferry token create, or listen on 127.0.0.1");
            }
            LOG.warn(
                    "control API in dev mode: no api.tokens configured, so every request on {} is allowed without "
                            + "authentication; add tokens (ferry token create) before exposing it",
                    host);
        }
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
        boolean mtls = false;
        Path certFile = null;
        if (api.tls()) {
            certFile = Path.of(readable(schedule, api.tlsCert(), "api.tls.cert"));
            options.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(certFile.toString())
                            .setKeyPath(readable(schedule, api.tlsKey(), "api.tls.key")));
            if (api.tlsClientCa() != null) {
                options.setTrustOptions(new PemTrustOptions()
                                .addCertPath(readable(schedule, api.tlsClientCa(), "api.tls.clientCa")))
                        .setClientAuth(ClientAuth.REQUEST);
                mtls = true;
            }
        } else if (api.tlsClientCa() != null) {
            throw new IllegalArgumentException("api.tls.clientCa needs api.tls.cert and api.tls.key");
        }
        MintedTokens minted = null;
        if (api.tokenKeyFile() != null) {
            minted = new MintedTokens(readKey(schedule, api.tokenKeyFile()), clock, new SecureRandom());
        }
        Authenticator auth = new Authenticator(new TokenBook(api.tokens(), clock), minted, internalWorkerToken);
        return new ApiSecurity(options, auth, mtls, loopback, certFile);
    }

    public HttpServerOptions serverOptions() {
        return new HttpServerOptions(serverOptions);
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** With mTLS, worker routes also need a verified client certificate. */
    public boolean mutualTls() {
        return mutualTls;
    }

    /** Whether the API listens on loopback only (so dev mode is allowed). */
    public boolean loopback() {
        return loopback;
    }

    /** The API's own certificate file, or null without TLS: an in-process worker trusts exactly it. */
    public Path certFile() {
        return certFile;
    }

    public boolean tls() {
        return serverOptions.isSsl();
    }

    static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress a : InetAddress.getAllByName(bare)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String readable(Schedule schedule, String file, String field) {
        Path path = resolve(schedule, file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(
                    field + ": cannot read the file " + path + " (it must be a readable regular file)");
        }
        return path.toString();
    }

    private static byte[] readKey(Schedule schedule, String file) {
        Path path = Path.of(readable(schedule, file, "api.tokenKeyFile"));
        try {
            byte[] key = BoundedFiles.read(path, MAX_KEY_FILE_BYTES);
            if (key.length < MintedTokens.MIN_KEY_BYTES) {
                throw new IllegalArgumentException(
                        "api.tokenKeyFile: " + path + " holds " + key.length + " bytes; the key needs at least "
                                + MintedTokens.MIN_KEY_BYTES + " (e.g. head -c 32 /dev/urandom)");
            }
            return key;
        } catch (BoundedFiles.RefusedFile e) {
            throw new IllegalArgumentException("api.tokenKeyFile: " + e.getMessage() + "; it is not a key file");
        } catch (IOException e) {
            throw new IllegalArgumentException("api.tokenKeyFile: cannot read " + path + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static Path resolve(Schedule schedule, String file) {
        Path p = Path.of(file);
        return p.isAbsolute() || schedule.baseDirectory() == null
                ? p
                : schedule.baseDirectory().resolve(p);
    }
}
