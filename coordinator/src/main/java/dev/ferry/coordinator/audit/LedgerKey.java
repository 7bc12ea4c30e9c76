package dev.ferry.coordinator.audit;

import dev.ferry.common.io.BoundedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The Ed25519 key that signs ledger checkpoints. Stored as the base64 of its 32-byte private
 * key in one file readable only by its owner; the public key travels in every checkpoint.
 */
public final class LedgerKey {

    /** The file name in a data directory when no key file is given. */
    public static final String FILE_NAME = "audit-ledger.key";

    private final Ed25519PrivateKeyParameters privateKey;

    /** The key is 44 base64 characters; the limit only keeps a wrong file from filling the heap. */
    private static final int MAX_FILE_BYTES = 4096;

    private LedgerKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    public static LedgerKey generate() {
        return new LedgerKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /** Reads the key in {@code file}, or makes one there when there is none. Blocking. */
    public static LedgerKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] raw;
            try {
                raw = Base64.getDecoder()
                        .decode(BoundedFiles.readString(file, MAX_FILE_BYTES, StandardCharsets.US_ASCII)
                                .strip());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": not a ledger key (base64 of 32 bytes expected)");
            }
            if (raw.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                throw new IOException(file + ": not a ledger key (32 bytes expected, found " + raw.length + ")");
            }
            return new LedgerKey(new Ed25519PrivateKeyParameters(raw, 0));
        }
        LedgerKey key = generate();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own permissions apply.
        }
        Files.writeString(
                tmp, Base64.getEncoder().encodeToString(key.privateKey.getEncoded()) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return key;
    }

    /** The public key, base64 of its 32 bytes: what checkpoints carry and {@code --key} pins. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(privateKey.generatePublicKey().getEncoded());
    }

    public String sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return Base64.getEncoder().encodeToString(signer.generateSignature());
    }

    /** Whether {@code signature} (base64) is {@code publicKey}'s (base64) over {@code message}. */
    public static boolean verify(String publicKey, byte[] message, String signature) {
        try {
            byte[] pub = Base64.getDecoder().decode(publicKey);
            byte[] sig = Base64.getDecoder().decode(signature);
            if (pub.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                return false;
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(pub, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(sig);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "LedgerKey[public " + publicKey() + "]";
    }
}
