package dev.ferry.common.transport;

import java.io.Serializable;

/**
 * How to check a registry's HTTPS certificate and which client certificate to offer: plain
 * data (file paths), read by {@link TlsMaterial}.
 *
 * @param caFile PEM bundle of CA certificates trusted for this registry, in addition to the
 *     JVM's; null for the JVM's alone
 * @param certFile PEM client certificate (chain) for registries that require one; null for none
 * @param keyFile PEM private key of {@code certFile} (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
 * @param verify false only for "HTTPS without verification": any certificate is accepted
 */
public record TlsSettings(String caFile, String certFile, String keyFile, boolean verify) implements Serializable {

    /** The JVM's trust store, hostname checked, no client certificate. */
    public static final TlsSettings DEFAULT = new TlsSettings(null, null, null, true);

    public TlsSettings {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs both certFile and keyFile");
        }
    }
}
