package dev.ferry.config.load;

import dev.ferry.common.io.BoundedFiles;
import dev.ferry.common.signature.CosignKey;
import dev.ferry.common.signature.KeyFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a {@code verify.cosign.keys} entry and checks that it is a usable public key. */
final class PublicKeyFiles {

    /** A PEM public key is a few hundred bytes; a larger file is not one. */
    static final int MAX_BYTES = 16 * 1024;

    /** Why an entry cannot be used; the message names the file, never its content. */
    static final class BadKeyFile extends Exception {
        BadKeyFile(String message) {
            super(message, null, false, false);
        }
    }

    private PublicKeyFiles() {}

    /** Returns the file's PEM text once it parsed as an ECDSA P-256 or Ed25519 public key. */
    static String read(Path baseDirectory, String entry) throws BadKeyFile {
        Path file = baseDirectory.resolve(entry).normalize();
        String name = "public key file \"" + entry + "\"";
        if (!Files.exists(file)) {
            throw new BadKeyFile(name + " not found (looked at " + file + ")");
        }
        String pem;
        try {
            pem = BoundedFiles.readString(file, MAX_BYTES, StandardCharsets.ISO_8859_1);
        } catch (BoundedFiles.RefusedFile e) {
            throw new BadKeyFile(name + ": " + e.getMessage() + "; it is not a PEM public key");
        } catch (IOException e) {
            throw new BadKeyFile(
                    name + " cannot be read (" + file + ": " + e.getClass().getSimpleName() + ")");
        }
        try {
            CosignKey.fromPem(pem);
            return pem;
        } catch (KeyFormatException e) {
            throw new BadKeyFile(name + " " + e.getMessage());
        }
    }
}
