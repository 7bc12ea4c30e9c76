package dev.ferry.common.transport;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Turns {@link TlsSettings} into Vert.x client TLS options: the JVM's trusted CAs plus the
 * registry's {@code caFile}, checked by {@link VerifyingTrustManager} so a refusal is a typed
 * {@link CertificateProblem}, and the client certificate when one is set. Reads files:
 * call it off the event loop. Keys are read here once and kept in memory only.
 */
public final class TlsMaterial {

    private static final char[] NO_PASSWORD = new char[0];

    private TlsMaterial() {}

    /** Checks that the files exist and hold usable PEM, without building anything else. */
    public static void check(TlsSettings settings) throws TlsMaterialException {
        options(settings, Clock.systemUTC());
    }

    public static ClientSSLOptions options(TlsSettings settings, Clock clock) throws TlsMaterialException {
        ClientSSLOptions options = new ClientSSLOptions();
        if (!settings.verify()) {
            return options.setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        options.setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(TrustOptions.wrap(trustManager(settings.caFile(), clock)));
        if (settings.certFile() != null) {
            options.setKeyCertOptions(keyCert(settings.certFile(), settings.keyFile()));
        }
        return options;
    }

    private static TrustManager trustManager(String caFile, Clock clock) throws TlsMaterialException {
        List<X509Certificate> extra = caFile == null ? List.of() : PemFiles.certificates("caFile", caFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : jvmIssuers()) {
                store.setCertificateEntry("jvm-" + i++, c);
            }
            for (X509Certificate c : extra) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new VerifyingTrustManager(x, clock);
                }
            }
            throw new IllegalStateException("the JVM offers no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsMaterialException(
                    "caFile",
                    "cannot build a trust store" + (caFile == null ? "" : " with " + caFile) + ": " + e.getMessage(),
                    e);
        }
    }

    private static X509Certificate[] jvmIssuers() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    private static KeyCertOptions keyCert(String certFile, String keyFile) throws TlsMaterialException {
        List<X509Certificate> chain = PemFiles.certificates("certFile", certFile);
        PrivateKey key = PemFiles.privateKey("keyFile", keyFile);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new TlsMaterialException(
                    "keyFile",
                    keyFile + " holds a " + key.getAlgorithm() + " key but " + certFile + " a "
                            + chain.get(0).getPublicKey().getAlgorithm() + " certificate",
                    null);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            return KeyCertOptions.wrap(kmf);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsMaterialException(
                    "keyFile",
                    "the key in " + keyFile + " cannot be used with " + certFile + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }
}
