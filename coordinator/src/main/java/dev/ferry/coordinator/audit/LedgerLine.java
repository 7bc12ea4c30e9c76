package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ledger entry in its canonical text form. The body is the JSON object of {@code seq},
 * {@code time}, {@code actor}, {@code action}, {@code subject}, {@code details} and
 * {@code prevHash} with every object's keys sorted and no whitespace; {@code hash} is the
 * lowercase hex sha256 of the body's UTF-8 bytes and is written as the line's last field.
 */
public record LedgerLine(long seq, String hash, String text) implements java.io.Serializable {

    /** The {@code prevHash} of entry 1. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Builds the line of an entry whose predecessor's hash is {@code prevHash}. */
    public static LedgerLine create(
            long seq,
            String prevHash,
            String time,
            String actor,
            String action,
            String subject,
            Map<String, Object> details) {
        Map<String, Object> body = new TreeMap<>();
        body.put("seq", seq);
        body.put("time", time);
        body.put("actor", actor);
        body.put("action", action);
        body.put("subject", subject);
        body.put("details", details == null ? Map.of() : details);
        body.put("prevHash", prevHash);
        String canonical = write(body);
        String hash = sha256(canonical);
        return new LedgerLine(seq, hash, withHash(canonical, hash));
    }

    /** Parses a stored line, checking its form and its hash; fails with the reason. */
    public static LedgerLine parse(String text) {
        JsonNode node;
        try {
            node = CANONICAL.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("not JSON");
        }
        if (!(node instanceof ObjectNode object)
                || !object.path("hash").isTextual()
                || !object.path("seq").canConvertToLong()) {
            throw new Invalid("not a ledger entry (no hash or seq)");
        }
        String hash = object.remove("hash").asText();
        String canonical = write(CANONICAL.convertValue(object, TreeMap.class));
        if (!withHash(canonical, hash).equals(text)) {
            throw new Invalid("not in canonical form (edited?)");
        }
        if (!sha256(canonical).equals(hash)) {
            throw new Invalid("hash does not match the entry's content");
        }
        return new LedgerLine(object.get("seq").asLong(), hash, text);
    }

    /** The parsed fields of the line; call on a line that {@link #parse} accepted. */
    public JsonNode fields() {
        try {
            return CANONICAL.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("not JSON");
        }
    }

    public String prevHash() {
        return fields().path("prevHash").asText();
    }

    public String action() {
        return fields().path("action").asText();
    }

    /** Canonical JSON of a details map, as the line would hold it. */
    static String canonicalJson(Object value) {
        return write(value);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withHash(String canonical, String hash) {
        return canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + hash + "\"}";
    }

    private static String write(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be strings, numbers or booleans: " + e.getMessage());
        }
    }

    /** A line that is not a well-formed ledger entry. */
    public static final class Invalid extends RuntimeException {
        Invalid(String reason) {
            super(reason);
        }
    }
}
