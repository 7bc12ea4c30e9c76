package dev.ferry.testing;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link RegistryProcess} for a test class.
 *
 * <pre>{@code
 * @RegisterExtension static RegistryExtension source = RegistryExtension.plain();
 * @RegisterExtension static RegistryExtension target = RegistryExtension.basicAuth("ferry", "s3cret");
 * @RegisterExtension static RegistryExtension hub = RegistryExtension.tokenAuth("ferry", "s3cret");
 * }</pre>
 *
 * On a {@code static} field the registry lives from beforeAll to afterAll of the class that
 * declares it (nested classes share it); on an instance field each test gets a fresh one.
 * {@link #tokenAuth} also runs the {@link TokenIssuer}, see {@link #tokenIssuer()}.
 */
public final class RegistryExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final RegistryOptions options;
    private final TokenIssuer.Builder issuerBuilder;
    private RegistryProcess registry;
    private TokenIssuer issuer;
    private String ownerId;

    /**
     * @param options       registry options (its auth is ignored when {@code issuerBuilder} is given)
     * @param issuerBuilder if not null, a token issuer is started first and the registry trusts it
     */
    public RegistryExtension(RegistryOptions options, TokenIssuer.Builder issuerBuilder) {
        this.options = options;
        this.issuerBuilder = issuerBuilder;
    }

    public static RegistryExtension plain() {
        return new RegistryExtension(RegistryOptions.defaults(), null);
    }

    public static RegistryExtension basicAuth(String username, String password) {
        return new RegistryExtension(RegistryOptions.defaults().withBasicAuth(username, password), null);
    }

    /** Token auth with a {@link TokenIssuer} accepting {@code username}/{@code password}. */
    public static RegistryExtension tokenAuth(String username, String password) {
        return tokenAuth(TokenIssuer.builder().credentials(username, password));
    }

    public static RegistryExtension tokenAuth(TokenIssuer.Builder issuerBuilder) {
        return new RegistryExtension(RegistryOptions.defaults(), issuerBuilder);
    }

    public static RegistryExtension of(RegistryOptions options) {
        return new RegistryExtension(options, null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfNeeded(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopIfOwner(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startIfNeeded(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopIfOwner(context);
    }

    private void startIfNeeded(ExtensionContext context) {
        if (registry != null) {
            return;
        }
        RegistryOptions effective = options;
        if (issuerBuilder != null) {
            issuer = issuerBuilder.start();
            effective = options.withTokenAuth(issuer);
        }
        try {
            registry = RegistryProcess.start(effective);
        } catch (RuntimeException | Error e) {
            closeIssuer();
            throw e;
        }
        ownerId = context.getUniqueId();
    }

    private void stopIfOwner(ExtensionContext context) {
        if (registry == null || !context.getUniqueId().equals(ownerId)) {
            return;
        }
        try {
            registry.close();
        } finally {
            registry = null;
            ownerId = null;
            closeIssuer();
        }
    }

    private void closeIssuer() {
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
    }

    /** The running registry; only valid between beforeAll/beforeEach and afterAll/afterEach. */
    public RegistryProcess registry() {
        if (registry == null) {
            throw new IllegalStateException("registry is not running (is the extension registered?)");
        }
        return registry;
    }

    /** The token issuer of a {@link #tokenAuth} registry. */
    public TokenIssuer tokenIssuer() {
        return Optional.ofNullable(issuer)
                .orElseThrow(() -> new IllegalStateException("not a running token-auth registry"));
    }

    public String host() {
        return registry().host();
    }

    public String url() {
        return registry().url();
    }
}
