package dev.ferry.coordinator.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides who presented a bearer token: a token the schedule lists (swapped on reload), a
 * token this cluster minted, or the in-process worker's own token. With no tokens listed
 * the API is in dev mode and {@link #devMode()} is true.
 */
public final class Authenticator {

    private final AtomicReference<TokenBook> book;
    private final MintedTokens minted;
    private final String internalWorkerToken;

    /**
     * @param minted null when no token key is configured (minting off)
     * @param internalWorkerToken a token held only in memory for an in-process worker, or null
     */
    public Authenticator(TokenBook book, MintedTokens minted, String internalWorkerToken) {
        this.book = new AtomicReference<>(book);
        this.minted = minted;
        this.internalWorkerToken = internalWorkerToken;
    }

    public boolean devMode() {
        return book.get().isEmpty();
    }

    /** Replaces the listed tokens (after a config reload). */
    public void replace(TokenBook next) {
        book.set(next);
    }

    public MintedTokens minted() {
        return minted;
    }

    public Verdict check(String presented) {
        if (internalWorkerToken != null
                && MessageDigest.isEqual(internalWorkerToken.getBytes(UTF_8), presented.getBytes(UTF_8))) {
            return Verdict.accepted(new Caller("in-process-worker", Role.WORKER, true));
        }
        if (presented.startsWith(MintedTokens.PREFIX)) {
            return minted == null ? Verdict.UNKNOWN : minted.check(presented);
        }
        return book.get().check(presented);
    }
}
