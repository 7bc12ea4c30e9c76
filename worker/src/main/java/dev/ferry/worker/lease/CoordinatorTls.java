package dev.ferry.worker.lease;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;

/**
 * How a worker trusts an https coordinator and, for mutual TLS, proves itself.
 *
 * @param caFile PEM certificates to trust instead of the JVM's defaults, or null
 * @param certFile PEM client certificate, or null
 * @param keyFile PEM key of the client certificate, or null
 * @param verifyHost false only for an in-process worker that pins its own server's certificate
 */
public record CoordinatorTls(Path caFile, Path certFile, Path keyFile, boolean verifyHost) {

    public static final CoordinatorTls DEFAULTS = new CoordinatorTls(null, null, null, true);

    public CoordinatorTls {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs both its cert and its key file");
        }
    }

    WebClientOptions applyTo(WebClientOptions options) {
        if (caFile != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
        }
        if (certFile != null) {
            options.setKeyCertOptions(
                    new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
        }
        return options.setVerifyHost(verifyHost);
    }
}
