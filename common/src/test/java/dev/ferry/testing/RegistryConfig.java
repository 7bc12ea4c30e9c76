package dev.ferry.testing;

import java.nio.file.Path;
import java.util.UUID;

/** Renders the distribution 2.8 YAML configuration for a test registry. */
public final class RegistryConfig {

    private final int port;
    private final Path storageDir;
    private final RegistryAuth auth;
    private final Path htpasswdFile;
    private final java.util.List<RegistryNotification> notifications;
    private RegistryOptions.Tls tls;

    /** Serves HTTPS with these files (distribution's {@code http.tls}). */
    public RegistryConfig withTls(RegistryOptions.Tls files) {
        this.tls = files;
        return this;
    }

    /**
     * @param htpasswdFile where the htpasswd file is (or will be) written; only used for
     *                     {@link RegistryAuth.Basic}
     */
    public RegistryConfig(int port, Path storageDir, RegistryAuth auth, Path htpasswdFile) {
        this(port, storageDir, auth, htpasswdFile, java.util.List.of());
    }

    public RegistryConfig(
            int port,
            Path storageDir,
            RegistryAuth auth,
            Path htpasswdFile,
            java.util.List<RegistryNotification> notifications) {
        this.notifications = java.util.List.copyOf(notifications);
        this.port = port;
        this.storageDir = storageDir;
        this.auth = auth;
        this.htpasswdFile = htpasswdFile;
    }

    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n");
        y.append("  level: info\n");
        y.append("  formatter: text\n");
        y.append("  accesslog:\n");
        y.append("    disabled: false\n");
        y.append("storage:\n");
        y.append("  filesystem:\n");
        y.append("    rootdirectory: ").append(quote(storageDir.toString())).append('\n');
        y.append("  delete:\n");
        y.append("    enabled: true\n");
        y.append("  maintenance:\n");
        y.append("    uploadpurging:\n");
        y.append("      enabled: false\n");
        y.append("http:\n");
        // No http.debug section: the debug server is only started when it is configured.
        y.append("  addr: ").append(quote("127.0.0.1:" + port)).append('\n');
        y.append("  secret: ").append(quote(UUID.randomUUID().toString())).append('\n');
        if (tls != null) {
            y.append("  tls:\n");
            y.append("    certificate: ").append(quote(tls.cert().toString())).append('\n');
            y.append("    key: ").append(quote(tls.key().toString())).append('\n');
            if (tls.clientCa() != null) {
                y.append("    clientcas:\n");
                y.append("      - ").append(quote(tls.clientCa().toString())).append('\n');
            }
        }
        appendAuth(y);
        appendNotifications(y);
        return y.toString();
    }

    private void appendNotifications(StringBuilder y) {
        if (notifications.isEmpty()) {
            return;
        }
        y.append("notifications:\n");
        y.append("  endpoints:\n");
        for (RegistryNotification n : notifications) {
            y.append("    - name: ").append(quote(n.name())).append('\n');
            y.append("      url: ").append(quote(n.url())).append('\n');
            // Short timeout and backoff: a test's receiver is local, and a stalled queue would hide events.
            y.append("      timeout: 2s\n");
            y.append("      threshold: 3\n");
            y.append("      backoff: 500ms\n");
            y.append("      ignoredmediatypes: [\"application/octet-stream\"]\n");
            if (!n.headers().isEmpty()) {
                y.append("      headers:\n");
                n.headers()
                        .forEach((k, v) -> y.append("        ")
                                .append(quote(k))
                                .append(": [")
                                .append(quote(v))
                                .append("]\n"));
            }
        }
    }

    private void appendAuth(StringBuilder y) {
        if (auth instanceof RegistryAuth.Basic) {
            y.append("auth:\n");
            y.append("  htpasswd:\n");
            y.append("    realm: ").append(quote("ferry-test-registry")).append('\n');
            y.append("    path: ").append(quote(htpasswdFile.toString())).append('\n');
        } else if (auth instanceof RegistryAuth.Token token) {
            TokenIssuer issuer = token.issuer();
            y.append("auth:\n");
            y.append("  token:\n");
            y.append("    realm: ").append(quote(issuer.realm())).append('\n');
            y.append("    service: ").append(quote(issuer.service())).append('\n');
            y.append("    issuer: ").append(quote(issuer.issuer())).append('\n');
            y.append("    rootcertbundle: ")
                    .append(quote(issuer.certFile().toString()))
                    .append('\n');
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
