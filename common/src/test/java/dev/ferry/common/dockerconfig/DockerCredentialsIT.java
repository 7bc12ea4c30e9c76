package dev.ferry.common.dockerconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.testing.CredentialHelperScript;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.TestImages;
import dev.ferry.testing.TokenIssuer;
import dev.ferry.testing.TokenRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials from a Docker config file against real registries: an htpasswd registry and
 * one behind a token issuer, with a real credential helper executable the test writes.
 */
@ExtendWith(VertxExtension.class)
class DockerCredentialsIT {

    private static final String USER = "robot";
    private static final String PASSWORD = "helper-Pw-7f3a91";
    private static final String IDENTITY = "idtok-2b8c61f0e9";
    private static final String ROTATED_IDENTITY = "idtok-rotated-5d1e";

    @RegisterExtension
    static RegistryExtension basic = RegistryExtension.basicAuth(USER, PASSWORD);

    @RegisterExtension
    static RegistryExtension token = RegistryExtension.tokenAuth(
            TokenIssuer.builder().credentials(USER, PASSWORD).refreshToken(IDENTITY));

    @TempDir
    Path dir;

    private HttpClientAgent http;
    private Vertx vertx;

    @BeforeAll
    static void seed() throws Exception {
        TestImages.forRegistry(basic.registry()).pushOciImage("creds/app", "v1", 41, 100);
        for (String repo : List.of("creds/one", "creds/two", "creds/three")) {
            TestImages.forRegistry(token.registry()).pushOciImage(repo, "v1", 42, 100);
        }
    }

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        http = RegistryClient.newHttpClient(vertx, 4);
        token.tokenIssuer().rotateRefreshToken(IDENTITY);
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    private Path config(String json) throws Exception {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    private DockerConfigSource source(
            Path config, RegistryExtension registry, CredentialHelperScript helper, Duration timeout) {
        List<Path> path = helper == null ? List.of() : List.of(helper.dir());
        return new DockerConfigSource(
                vertx,
                config,
                "reg",
                registry.host(),
                Duration.ofHours(1),
                new CredentialHelper(path, timeout),
                Clock.systemUTC());
    }

    private RegistryClient client(RegistryExtension registry, DockerConfigSource source) {
        return new RegistryClient(
                http,
                new RegistryEndpoint(registry.host(), true),
                source,
                RegistryClientOptions.defaults(),
                Clock.systemUTC());
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void aCredHelperGivesTheHtpasswdRegistryItsPasswordAndIsAskedForTheHost() throws Exception {
        try (CredentialHelperScript helper = CredentialHelperScript.create("ferrytest", USER, PASSWORD)) {
            Path config = config("{\"credHelpers\": {\"" + basic.host() + "\": \"ferrytest\"}}");
            RegistryClient client = client(basic, source(config, basic, helper, Duration.ofSeconds(10)));

            assertThat(await(client.headManifest("creds/app", "v1"))).isPresent();
            assertThat(await(client.headManifest("creds/app", "v1"))).isPresent();

            assertThat(helper.calls()).containsExactly(basic.host());
        }
    }

    @Test
    void aPasswordTheRegistryRefusesIsFetchedFromTheHelperAgainAndTheRequestRetried() throws Exception {
        try (CredentialHelperScript helper =
                CredentialHelperScript.create("ferrytest", USER, PASSWORD).answerOnCall(1, "expired-Pw-000000")) {
            Path config = config("{\"auths\": {\"" + basic.host() + "\": {}}, \"credsStore\": \"ferrytest\"}");
            RegistryClient client = client(basic, source(config, basic, helper, Duration.ofSeconds(10)));

            assertThat(await(client.headManifest("creds/app", "v1"))).isPresent();

            assertThat(helper.calls()).hasSize(2);
        }
    }

    @Test
    void aBase64AuthEntryWorksWithoutAnyHelper() throws Exception {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Path config = config("{\"auths\": {\"http://" + basic.host() + "/v2/\": {\"auth\": \"" + auth + "\"}}}");
        RegistryClient client = client(basic, source(config, basic, null, Duration.ofSeconds(10)));

        assertThat(await(client.headManifest("creds/app", "v1"))).isPresent();
    }

    @Test
    void anIdentityTokenIsTradedAtTheRealmWithTheRefreshGrantAndNeverSentAsBasicAuth() throws Exception {
        token.tokenIssuer().clearRequests();
        Path config = config("{\"auths\": {\"" + token.host() + "\": {\"identitytoken\": \"" + IDENTITY + "\"}}}");
        RegistryClient client = client(token, source(config, token, null, Duration.ofSeconds(10)));

        assertThat(await(client.headManifest("creds/one", "v1"))).isPresent();

        assertThat(token.tokenIssuer().requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.account()).isEqualTo(TokenIssuer.REFRESH_ACCOUNT);
            assertThat(r.status()).isEqualTo(200);
        });
        assertThat(token.tokenIssuer().requests())
                .extracting(TokenRequest::scopes)
                .contains(List.of("repository:creds/one:pull"));
    }

    @Test
    void aRotatedIdentityTokenFromAHelperIsFetchedAgainWhenTheRealmRefusesTheOldOne() throws Exception {
        try (CredentialHelperScript helper = CredentialHelperScript.create("ferrytest", "<token>", IDENTITY)) {
            Path config = config("{\"credHelpers\": {\"" + token.host() + "\": \"ferrytest\"}}");
            RegistryClient client = client(token, source(config, token, helper, Duration.ofSeconds(10)));
            assertThat(await(client.headManifest("creds/two", "v1"))).isPresent();

            token.tokenIssuer().rotateRefreshToken(ROTATED_IDENTITY);
            helper.answer("<token>", ROTATED_IDENTITY);
            // Another repository needs another token: the old identity token is refused (400 invalid_grant).
            assertThat(await(client.headManifest("creds/three", "v1"))).isPresent();

            assertThat(helper.calls()).hasSize(2);
        }
    }

    @Test
    void aMissingHelperIsAnErrorNamingTheHelperTheRegistryAndTheFile() throws Exception {
        Path config = config("{\"credHelpers\": {\"" + basic.host() + "\": \"nosuch\"}}");
        RegistryClient client = client(basic, source(config, basic, null, Duration.ofSeconds(10)));

        assertThatThrownBy(() -> await(client.headManifest("creds/app", "v1")))
                .isInstanceOf(DockerConfigException.class)
                .hasMessage(
                        "credential helper docker-credential-nosuch for registry reg (credHelpers in " + config
                                + "): docker-credential-nosuch was not found on PATH; install it or remove it from the Docker config");
    }

    @Test
    void aFailingHelperIsAnErrorWithItsExitCodeAndReasonButNoSecret() throws Exception {
        try (CredentialHelperScript helper =
                CredentialHelperScript.create("ferrytest", USER, PASSWORD).failWith("keychain is locked")) {
            Path config = config("{\"credsStore\": \"ferrytest\"}");
            RegistryClient client = client(basic, source(config, basic, helper, Duration.ofSeconds(10)));

            assertThatThrownBy(() -> await(client.headManifest("creds/app", "v1")))
                    .isInstanceOf(DockerConfigException.class)
                    .hasMessage("credential helper docker-credential-ferrytest for registry reg (credsStore in "
                            + config + ") failed with exit code 1: keychain is locked")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void aHelperThatHangsIsKilledAfterTheTimeout() throws Exception {
        try (CredentialHelperScript helper =
                CredentialHelperScript.create("ferrytest", USER, PASSWORD).hang()) {
            Path config = config("{\"credsStore\": \"ferrytest\"}");
            RegistryClient client = client(basic, source(config, basic, helper, Duration.ofSeconds(1)));

            assertThatThrownBy(() -> await(client.headManifest("creds/app", "v1")))
                    .isInstanceOfSatisfying(
                            DockerConfigException.class,
                            e -> assertThat(e.isTemporary()).isTrue())
                    .hasMessageEndingWith("did not answer within 1 s");
        }
    }
}
