package dev.ferry.common.image;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.InvalidDigestException;
import dev.ferry.common.reference.InvalidReferenceException;
import dev.ferry.common.reference.Reference;
import java.nio.file.Path;

/**
 * An image named with its transport, as on the command line: {@code docker://HOST/REPO:TAG},
 * {@code docker://HOST/REPO@DIGEST}, or {@code oci:DIR[:TAG]} / {@code oci:DIR@DIGEST} for an
 * OCI image-layout directory.
 */
public sealed interface ImageRef {

    /** An image in a registry. */
    record Docker(Reference reference) implements ImageRef {
        @Override
        public String toString() {
            return "docker://" + reference;
        }
    }

    /** An image in an OCI layout directory; {@code reference} is a tag or a digest. */
    record Layout(Path directory, String reference) implements ImageRef {
        @Override
        public String toString() {
            return "oci:" + directory + (reference.contains(":") ? "@" : ":") + reference;
        }
    }

    static ImageRef parse(String value) {
        if (value.startsWith("docker://")) {
            return new Docker(Reference.parse(value.substring("docker://".length())));
        }
        if (value.startsWith("oci:")) {
            return parseLayout(value, value.substring("oci:".length()));
        }
        int colon = value.indexOf(':');
        boolean looksLikeTransport = colon > 0
                && value.substring(0, colon).matches("[A-Za-z][A-Za-z0-9-]*")
                && !(colon + 1 < value.length() && Character.isDigit(value.charAt(colon + 1)));
        String hint = looksLikeTransport
                ? "unknown transport \"" + value.substring(0, colon + 1) + "\""
                : "no transport given";
        throw new InvalidReferenceException(
                value,
                hint + "; write docker://HOST/REPO:TAG for a registry or oci:DIR:TAG for an OCI layout directory");
    }

    private static Layout parseLayout(String input, String rest) {
        if (rest.isEmpty()) {
            throw new InvalidReferenceException(input, "the OCI layout directory is empty; write oci:DIR:TAG");
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            try {
                Digest digest = Digest.parse(rest.substring(at + 1));
                return new Layout(Path.of(rest.substring(0, at)), digest.toString());
            } catch (InvalidDigestException e) {
                throw new InvalidReferenceException(input, e.getMessage());
            }
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return new Layout(Path.of(rest), Reference.DEFAULT_TAG);
        }
        String tag = rest.substring(colon + 1);
        if (colon == 0 || tag.isEmpty() || !tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new InvalidReferenceException(
                    input,
                    "invalid OCI layout reference; write oci:DIR:TAG "
                            + "(a tag is 1-128 characters of [A-Za-z0-9_.-])");
        }
        return new Layout(Path.of(rest.substring(0, colon)), tag);
    }
}
