package dev.ferry.testing;

import java.util.Objects;

/** How a {@link RegistryProcess} authenticates clients. */
public sealed interface RegistryAuth {

    static RegistryAuth none() {
        return new None();
    }

    static RegistryAuth basic(String username, String password) {
        return new Basic(username, password);
    }

    static RegistryAuth token(TokenIssuer issuer) {
        return new Token(issuer);
    }

    /** Anonymous access to everything. */
    record None() implements RegistryAuth {}

    /** {@code auth.htpasswd} with a single bcrypt user. */
    record Basic(String username, String password) implements RegistryAuth {
        public Basic {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.contains(":")) {
                throw new IllegalArgumentException("username must not contain ':'");
            }
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    /** {@code auth.token} trusting the given issuer. */
    record Token(TokenIssuer issuer) implements RegistryAuth {
        public Token {
            Objects.requireNonNull(issuer, "issuer");
        }
    }
}
