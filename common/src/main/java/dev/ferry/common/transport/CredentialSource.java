package dev.ferry.common.transport;

import io.vertx.core.Future;

/**
 * Where an {@link Authenticator} gets the credentials to present. Most are fixed for the
 * life of a client; some come from a program (a Docker credential helper) and are short-lived,
 * so the authenticator says when the registry refused them and asks again.
 */
public interface CredentialSource {

    /** The credentials to present now; may run a helper, never on the caller's event loop. */
    Future<Credentials> current();

    /**
     * The registry or its token server refused credentials from this source: the next
     * {@link #current()} fetches them afresh. A fixed source ignores it.
     */
    default void refused() {}

    /** True when {@link #refused()} can lead to other credentials, so one more try is worth it. */
    default boolean renewable() {
        return false;
    }

    static CredentialSource fixed(Credentials credentials) {
        return new Fixed(credentials);
    }

    /** Credentials that never change; equal when their credentials are, so clients can be shared. */
    record Fixed(Credentials credentials) implements CredentialSource {
        @Override
        public Future<Credentials> current() {
            return Future.succeededFuture(credentials);
        }

        @Override
        public String toString() {
            return credentials.toString();
        }
    }
}
