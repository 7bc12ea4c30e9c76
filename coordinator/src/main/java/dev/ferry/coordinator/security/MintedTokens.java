package dev.ferry.coordinator.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived tokens the API mints and checks without storing them: the text carries name,
 * role and expiry, and an HMAC-SHA256 over them with a key every coordinator shares.
 * Format: {@code fym_<name>.<role>.<expiry epoch s>.<nonce>.<mac>}, mac in URL-safe base64.
 */
public final class MintedTokens {

    public static final String PREFIX = "fym_";
    public static final Duration MAX_TTL = Duration.ofDays(7);
    /** HMAC-SHA256 keys shorter than its output weaken it. */
    public static final int MIN_KEY_BYTES = 32;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random;

    public MintedTokens(byte[] key, Clock clock, SecureRandom random) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the token key has " + key.length + " bytes; it needs at least " + MIN_KEY_BYTES);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.clock = clock;
        this.random = random;
    }

    /** A token for {@code name} with {@code role}, valid for {@code ttl} (at most {@link #MAX_TTL}). */
    public Minted mint(String name, Role role, Duration ttl) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid token name \"" + name
                    + "\": use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a minted token lives between 1 s and " + MAX_TTL.toDays() + " days");
        }
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        String body = PREFIX + name + "." + role.id() + "." + expires.getEpochSecond() + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return new Minted(body + "." + mac(body), expires);
    }

    /** The token and when it stops working. */
    public record Minted(String token, Instant expires) {
        @Override
        public String toString() {
            return "Minted[token hidden, expires " + expires + "]";
        }
    }

    /** Checks a presented token that starts with {@link #PREFIX}. */
    public Verdict check(String presented) {
        int lastDot = presented.lastIndexOf('.');
        if (!presented.startsWith(PREFIX) || lastDot < 0) {
            return Verdict.UNKNOWN;
        }
        String body = presented.substring(0, lastDot);
        byte[] expected = mac(body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Verdict.UNKNOWN;
        }
        String[] parts = body.substring(PREFIX.length()).split("\\.");
        if (parts.length != 4) {
            return Verdict.UNKNOWN;
        }
        try {
            Role role = Role.parse(parts[1]);
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (!clock.instant().isBefore(expires)) {
                return Verdict.EXPIRED;
            }
            return Verdict.accepted(new Caller(parts[0], role));
        } catch (IllegalArgumentException e) {
            return Verdict.UNKNOWN;
        }
    }

    private String mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
