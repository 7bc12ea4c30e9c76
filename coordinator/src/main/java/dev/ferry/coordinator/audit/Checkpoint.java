package dev.ferry.coordinator.audit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A checkpoint entry: the ledger key's signature over the head of the chain at some entry.
 * It is itself an entry of the chain, so its own hash covers the signature.
 */
public final class Checkpoint {

    public static final String ACTION = "ledger.checkpoint";
    public static final String ACTOR = "ferry";
    public static final String SUBJECT = "ledger";

    private Checkpoint() {}

    /** The details of a checkpoint signing entry {@code seq}, whose hash is {@code hash}. */
    static Map<String, Object> details(LedgerKey key, long seq, String hash) {
        return Map.of(
                "signedSeq",
                seq,
                "signedHash",
                hash,
                "key",
                key.publicKey(),
                "signature",
                key.sign(message(seq, hash)));
    }

    /** What is signed: a fixed label, the entry's seq and its hash, one per line. */
    static byte[] message(long seq, String hash) {
        return ("ferry-audit-checkpoint\n" + seq + "\n" + hash).getBytes(StandardCharsets.UTF_8);
    }
}
