package dev.ferry.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The {@code Authorization} header value a test client sends for a repository. */
@FunctionalInterface
public interface AuthHeader {

    Optional<String> forRepository(String repository);

    static AuthHeader none() {
        return repository -> Optional.empty();
    }

    static AuthHeader basic(String username, String password) {
        String value = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return repository -> Optional.of(value);
    }

    /** A fresh token from {@link TokenIssuer#tokenFor} granting pull and push on the repository. */
    static AuthHeader bearer(TokenIssuer issuer) {
        return repository -> Optional.of("Bearer " + issuer.tokenFor("repository:" + repository + ":pull,push"));
    }

    /** Whatever the registry's configured authentication needs. */
    static AuthHeader forRegistry(RegistryProcess registry) {
        RegistryAuth auth = registry.auth();
        if (auth instanceof RegistryAuth.Basic basic) {
            return basic(basic.username(), basic.password());
        }
        if (auth instanceof RegistryAuth.Token token) {
            return bearer(token.issuer());
        }
        return none();
    }
}
