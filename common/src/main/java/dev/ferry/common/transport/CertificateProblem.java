package dev.ferry.common.transport;

import java.security.cert.CertificateException;

/**
 * A registry's certificate that Ferry refused, with the reason as a type, so callers never
 * read the JDK's message to tell an unknown CA from an expired certificate.
 */
public final class CertificateProblem extends CertificateException {

    /** Why the certificate was refused. */
    public enum Kind {
        UNKNOWN_CA("is not signed by a trusted CA (unknown CA); give the registry's CA bundle in tls.caFile"),
        EXPIRED("has expired"),
        NOT_YET_VALID("is not valid yet"),
        HOSTNAME_MISMATCH("does not match the host name");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private final Kind kind;

    CertificateProblem(Kind kind, String detail, Throwable cause) {
        super(kind.text + (detail == null ? "" : " (" + detail + ")"), cause);
        this.kind = kind;
    }

    /** The problem somewhere in {@code e}'s causes (a TLS handshake failure wraps it), or null. */
    public static CertificateProblem in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateProblem p) {
                return p;
            }
        }
        return null;
    }

    public Kind kind() {
        return kind;
    }
}
