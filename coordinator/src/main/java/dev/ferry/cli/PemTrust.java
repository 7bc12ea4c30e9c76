package dev.ferry.cli;

import dev.ferry.common.io.BoundedFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An {@link SSLContext} that trusts exactly the certificates of a PEM file (a private CA). */
final class PemTrust {

    /** A CA bundle is a few KiB; the system bundle is about 200 KiB. */
    static final int MAX_PEM_BYTES = 4 * 1024 * 1024;

    private PemTrust() {}

    static SSLContext sslContext(Path pemFile) {
        try (InputStream in = new ByteArrayInputStream(BoundedFiles.read(pemFile, MAX_PEM_BYTES))) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new ExitCodes.UsageException("--ca-file " + pemFile + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (BoundedFiles.RefusedFile e) {
            throw new ExitCodes.UsageException("cannot use --ca-file: " + e.getMessage());
        } catch (IOException e) {
            throw new ExitCodes.UsageException(
                    "cannot read --ca-file " + pemFile + ": " + e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw new ExitCodes.UsageException(
                    "--ca-file " + pemFile + " is not a PEM certificate file: " + e.getMessage());
        }
    }
}
