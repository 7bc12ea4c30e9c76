package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Writes htpasswd files with bcrypt hashes, the only scheme distribution accepts. */
public final class Htpasswd {

    /**
     * Lowest cost Go's bcrypt accepts. The registry checks the hash on every request, so a
     * higher cost only slows the tests down.
     */
    public static final int COST = 4;

    private Htpasswd() {}

    /** One {@code user:$2y$...} line (without newline). */
    public static String line(String username, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return username + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, COST);
    }

    public static void write(Path file, String username, String password) {
        try {
            Files.writeString(file, line(username, password) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
