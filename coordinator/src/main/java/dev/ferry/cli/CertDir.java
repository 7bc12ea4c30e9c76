package dev.ferry.cli;

import dev.ferry.common.transport.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A docker / containers certificate directory, as in {@code /etc/docker/certs.d/HOST/}:
 * {@code ca.crt} is a CA bundle to trust besides the JVM's, {@code client.cert} with
 * {@code client.key} a client certificate. Each file is optional, but the client pair goes
 * together.
 */
final class CertDir {

    private CertDir() {}

    static TlsSettings settings(String flag, Path dir, boolean verify) {
        if (dir == null) {
            return verify ? TlsSettings.DEFAULT : new TlsSettings(null, null, null, false);
        }
        if (!Files.isDirectory(dir)) {
            throw new ExitCodes.UsageException(flag + " " + dir + " is not a directory");
        }
        if (!verify) {
            throw new ExitCodes.UsageException(
                    flag + " and tls-verify=false exclude each other: without verification" + " no CA is consulted");
        }
        Path ca = dir.resolve("ca.crt");
        Path cert = dir.resolve("client.cert");
        Path key = dir.resolve("client.key");
        if (Files.exists(cert) != Files.exists(key)) {
            throw new ExitCodes.UsageException(flag + " " + dir + " holds "
                    + (Files.exists(cert) ? "client.cert" : "client.key") + " without "
                    + (Files.exists(cert) ? "client.key" : "client.cert") + ": a client certificate needs both");
        }
        return new TlsSettings(
                Files.exists(ca) ? ca.toString() : null,
                Files.exists(cert) ? cert.toString() : null,
                Files.exists(key) ? key.toString() : null,
                true);
    }
}
