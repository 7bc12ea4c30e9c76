package dev.ferry.common.transport;

import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a registry's certificate in two steps, so a refusal says why as a
 * {@link CertificateProblem}: first the chain (trusted CA, validity dates) without the host
 * name, then the host name. The JDK does the checking; this class only orders it and names
 * the outcome.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final Clock clock;

    VerifyingTrustManager(X509ExtendedTrustManager delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkChain(chain, authType);
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw hostProblem(chain, engine == null ? null : engine.getPeerHost(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkChain(chain, authType);
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            String host = socket instanceof SSLSocket s && s.getHandshakeSession() != null
                    ? s.getHandshakeSession().getPeerHost()
                    : null;
            throw hostProblem(chain, host, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkChain(chain, authType);
    }

    private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            Date now = Date.from(clock.instant());
            for (X509Certificate c : chain) {
                try {
                    c.checkValidity(now);
                } catch (CertificateExpiredException x) {
                    throw new CertificateProblem(
                            CertificateProblem.Kind.EXPIRED,
                            subject(c) + " expired at " + c.getNotAfter().toInstant(),
                            e);
                } catch (CertificateNotYetValidException x) {
                    throw new CertificateProblem(
                            CertificateProblem.Kind.NOT_YET_VALID,
                            subject(c) + " is valid from " + c.getNotBefore().toInstant(),
                            e);
                }
            }
            String issuer = chain.length == 0
                    ? "none"
                    : chain[chain.length - 1].getIssuerX500Principal().getName();
            throw new CertificateProblem(CertificateProblem.Kind.UNKNOWN_CA, "issuer " + issuer, e);
        }
    }

    /** The chain was fine, so a refusal now is about the host, unless the names do match it. */
    private static CertificateException hostProblem(X509Certificate[] chain, String host, CertificateException e) {
        List<String> names = names(chain[0]);
        if (host == null || names.stream().anyMatch(n -> matches(n, host))) {
            return e;
        }
        return new CertificateProblem(
                CertificateProblem.Kind.HOSTNAME_MISMATCH,
                "the certificate names " + (names.isEmpty() ? "no host" : String.join(", ", names)) + ", not " + host,
                e);
    }

    private static String subject(X509Certificate c) {
        return "certificate " + c.getSubjectX500Principal().getName();
    }

    private static List<String> names(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    int type = (Integer) entry.get(0);
                    if (type == 2 || type == 7) {
                        out.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable names: reported as naming no host
        }
        return out;
    }

    static boolean matches(String name, String host) {
        String n = name.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (n.equals(h)) {
            return true;
        }
        if (isAddress(h) || isAddress(n)) {
            return sameAddress(n, h);
        }
        if (n.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(n.substring(1));
        }
        return false;
    }

    private static boolean isAddress(String s) {
        return s.contains(":") || s.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return isAddress(a) && isAddress(b) && InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
