package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.CredentialHelperScript;
import dev.ferry.testing.FreePort;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import dev.ferry.testing.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker credentials through the {@code ferry} binary: {@code ferry copy --authfile} and a
 * schedule's {@code credentials.dockerConfig}, with a real credential helper executable on the
 * child process's PATH, against a real htpasswd registry. No secret reaches stdout, stderr,
 * the log (at debug), the metrics or the API.
 */
class DockerCredentialsCliIT {

    private static final String USER = "ci";
    private static final String PASSWORD = "docker-helper-Pw-93c1";
    private static final String IDENTITY = "identity-token-8e21d4c0ff";
    private static final List<String> VERBOSE = List.of("-DFERRY_LOG_LEVEL=DEBUG");

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.basicAuth(USER, PASSWORD);

    @RegisterExtension
    static RegistryExtension acrLike = RegistryExtension.tokenAuth(
            TokenIssuer.builder().credentials(USER, "unused-Pw-5511aa").refreshToken(IDENTITY));

    private final SecretScan scan = new SecretScan()
            .secret("helper password", PASSWORD)
            .secret("identity token", IDENTITY)
            .secret(
                    "helper password as basic auth",
                    Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, String> pathWith(CredentialHelperScript helper) {
        return Map.of("PATH", helper.dir() + java.io.File.pathSeparator + System.getenv("PATH"));
    }

    private FerryProcess.Result ferry(Map<String, String> env, String... args) throws Exception {
        FerryProcess.Result r = FerryProcess.run(VERBOSE, env, args);
        scan.output("ferry " + String.join(" ", args) + " stdout", r.stdout())
                .output("ferry " + String.join(" ", args) + " stderr", r.stderr());
        return r;
    }

    @Test
    void copyWithAnAuthfileAsksTheCredHelperForTheDestinationAndTheMissingHelperIsNamed(@TempDir Path dir)
            throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("auth/app", "v1", 91, 300);
        try (CredentialHelperScript helper = CredentialHelperScript.create("ferrycli", USER, PASSWORD)) {
            Path authfile = Files.writeString(
                    dir.resolve("config.json"), "{\"credHelpers\": {\"" + mirror.host() + "\": \"ferrycli\"}}");

            FerryProcess.Result copied = ferry(
                    pathWith(helper),
                    "copy",
                    "--insecure",
                    "--authfile",
                    authfile.toString(),
                    "docker://" + source.host() + "/auth/app:v1",
                    "docker://" + mirror.host() + "/auth/app:v1");

            assertThat(copied.exitCode()).as(copied.stdout() + copied.stderr()).isZero();
            assertThat(new Skopeo().withCreds(USER, PASSWORD).exists("docker://" + mirror.host() + "/auth/app:v1"))
                    .isTrue();
            assertThat(helper.calls()).containsOnly(mirror.host());

            Path missing = Files.writeString(
                    dir.resolve("missing.json"), "{\"credHelpers\": {\"" + mirror.host() + "\": \"ferry-nosuch\"}}");
            FerryProcess.Result refused = ferry(
                    pathWith(helper),
                    "copy",
                    "--insecure",
                    "--authfile",
                    missing.toString(),
                    "docker://" + source.host() + "/auth/app:v1",
                    "docker://" + mirror.host() + "/auth/app:v2");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr())
                    .contains("ferry copy: credential helper docker-credential-ferry-nosuch for registry "
                            + mirror.host() + " (credHelpers in " + missing
                            + "): docker-credential-ferry-nosuch was not found on PATH;"
                            + " install it or remove it from the Docker config");
        }
        scan.assertNoLeaks();
    }

    @Test
    void copyWithAnIdentityTokenFromTheAuthfileTradesItAtTheRealmAndNeverPrintsIt(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("idt/app", "v1", 93, 300);
        Path authfile = Files.writeString(
                dir.resolve("auth.json"),
                "{\"auths\": {\"" + acrLike.host() + "\": {\"identitytoken\": \"" + IDENTITY + "\"}}}");
        acrLike.tokenIssuer().clearRequests();

        FerryProcess.Result copied = ferry(
                Map.of(),
                "copy",
                "--insecure",
                "--authfile",
                authfile.toString(),
                "docker://" + source.host() + "/idt/app:v1",
                "docker://" + acrLike.host() + "/idt/app:v1");

        assertThat(copied.exitCode()).as(copied.stdout() + copied.stderr()).isZero();
        assertThat(acrLike.tokenIssuer().requests())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.account()).isEqualTo(TokenIssuer.REFRESH_ACCOUNT));
        scan.assertNoLeaks();
    }

    @Test
    void aScheduleWithADockerConfigReplicatesThroughTheHelperWithoutLeakingTheSecret(@TempDir Path dir)
            throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("sched/app", "v1", 92, 300);
        try (CredentialHelperScript helper = CredentialHelperScript.create("ferrysched", USER, PASSWORD)) {
            Files.writeString(
                    dir.resolve("docker.json"),
                    "{\"auths\": {\"" + mirror.host() + "\": {}}," + " \"credsStore\": \"ferrysched\"}");
            Path schedule = Files.writeString(dir.resolve("schedule.yaml"), """
          version: 1
          registries:
            - { name: source, url: "%s", insecure: true }
            - name: mirror
              url: "%s"
              insecure: true
              credentials: { dockerConfig: docker.json, refreshAfter: 10m }
          policies:
            - name: apps
              source: { registry: source, repositories: ["sched/app"] }
              targets: [ { registry: mirror, prefix: "m/" } ]
              trigger: { manual: true }
          """.formatted(source.url(), mirror.url()));
            server = StandaloneServer.start(dir, schedule, FreePort.forListener(), VERBOSE, pathWith(helper));

            FerryProcess.Result sync = server.ctl("sync", "--policy", "apps");
            assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> !server.get("/v1/jobs?policy=apps&state=succeeded")
                            .strip()
                            .equals("[]"));

            assertThat(new Skopeo().withCreds(USER, PASSWORD).exists("docker://" + mirror.host() + "/m/sched/app:v1"))
                    .isTrue();
            assertThat(helper.calls()).isNotEmpty().containsOnly(mirror.host());
            for (String path :
                    List.of("/metrics", "/v1/status", "/v1/jobs?policy=apps", "/v1/policies", "/v1/registries")) {
                scan.output("GET " + path, server.get(path));
            }
            scan.output("ctl sync", sync.stdout() + sync.stderr());
        }
        server.close();
        server = null;
        scan.file("standalone log", dir.resolve("standalone.log"));
        scan.assertNoLeaks();
    }
}
