package dev.ferry.config.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.audit.Finding.Severity;
import dev.ferry.config.load.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigAuditTest {

    @TempDir
    Path dir;

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private ConfigAudit.Report audit(String yaml) throws Exception {
        return ConfigAudit.audit(Files.writeString(dir.resolve("s.yaml"), yaml));
    }

    /** Two registries and one policy from hub to prod; {@code extra} goes at the end of the policy. */
    private static String schedule(String prodExtra, String policyExtra, String rest) {
        return """
        version: 1
        registries:
          - { name: hub, url: https://hub.example.com }
          - name: prod
            url: %s
            production: true
        policies:
          - name: apps
            source: { registry: hub, repositories: ["team/*"] }
            targets: [ { registry: prod } ]
            trigger: { manual: true }
        %s
        %s""".formatted(prodExtra, policyExtra, rest);
    }

    /** A real public key: the loader checks the keys a policy names. */
    private static final java.nio.file.Path RELEASE_KEY = java.nio.file.Path.of("examples", "keys", "release.pub");

    private static final String SIGNED = "    verify: { cosign: { keys: [release.pub] } }";

    @Test
    void aSignedHttpsProductionSetupIsClean() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report report = audit(schedule("https://prod.example.com", SIGNED, ""));
        assertThat(report.findings()).isEmpty();
        assertThat(report.anyHigh()).isFalse();
    }

    @Test
    void insecureProductionRegistryIsHighAndPointsAtTheField() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report report = audit(schedule("http://prod.example.com:5000\n    insecure: true", SIGNED, ""));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.rule()).isEqualTo("insecure-production");
            assertThat(f.location().line()).isEqualTo(6);
            assertThat(f.toString()).startsWith(dir.resolve("s.yaml") + ":6:");
        });
    }

    @Test
    void insecureNonProductionRegistryIsMedium() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report report = audit(schedule("https://prod.example.com", SIGNED, "")
                .replace("url: https://hub.example.com }", "url: http://hub.local:5000, insecure: true }"));
        // The production target fed from it is a finding too: medium, since signatures are checked.
        assertThat(report.findings())
                .extracting(Finding::rule, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("insecure-registry", Severity.MEDIUM),
                        org.assertj.core.groups.Tuple.tuple("insecure-source-production", Severity.MEDIUM));
        assertThat(report.anyHigh()).isFalse();
    }

    @Test
    void productionFedFromAPlainHttpSourceWithoutSignaturesIsHighAtTheSourceRegistry() throws Exception {
        ConfigAudit.Report report = audit(schedule("https://prod.example.com", "", "")
                .replace("url: https://hub.example.com }", "url: http://hub.local:5000, insecure: true }"));
        assertThat(report.findings())
                .filteredOn(f -> f.rule().equals("insecure-source-production"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.location().line()).isEqualTo(9);
                    assertThat(f.message())
                            .isEqualTo("policy \"apps\" feeds production registry prod from hub, which is "
                                    + "reached over plain HTTP (insecure: true): anyone on the path can swap the images and no signature "
                                    + "check would notice; serve it over HTTPS and require signatures");
                });
    }

    @Test
    void aPolicyOverEveryRepositoryThatPropagatesDeletesIsHighAndOneThatOverwritesIsMedium() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        String yaml = schedule(
                        "https://prod.example.com",
                        SIGNED + "\n    propagateDeletes: true\n"
                                + "    onConflict: overwrite\n    immutableTags: ['^v\\d+\\.\\d+\\.\\d+$']",
                        "")
                .replace("repositories: [\"team/*\"]", "repositories: [\"**\"]");
        ConfigAudit.Report report = audit(yaml);
        assertThat(report.findings())
                .extracting(Finding::rule, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("broad-propagate-deletes", Severity.HIGH),
                        org.assertj.core.groups.Tuple.tuple("broad-overwrite", Severity.MEDIUM));
        assertThat(report.findings().get(0).message())
                .startsWith(
                        "policy \"apps\" matches every repository of hub " + "([**]) and has propagateDeletes: true");
        assertThat(report.findings().get(0).location().line()).isEqualTo(13);

        // Named repositories, or an exclude, narrow the policy: no finding.
        assertThat(audit(yaml.replace("[\"**\"]", "[\"team/**\"]")).findings()).isEmpty();
        assertThat(audit(yaml.replace("[\"**\"]", "[\"**\"], exclude: [\"tmp/**\"]"))
                        .findings())
                .isEmpty();
    }

    @Test
    void globsThatTakeEveryNameCountAsEveryRepository() {
        assertThat(PolicyReach.matchesEveryRepository(java.util.List.of(), null))
                .isTrue();
        assertThat(PolicyReach.matchesEveryRepository(java.util.List.of("**"), null))
                .isTrue();
        assertThat(PolicyReach.matchesEveryRepository(java.util.List.of("*", "**/*"), null))
                .isTrue();
        assertThat(PolicyReach.matchesEveryRepository(java.util.List.of("*"), null))
                .isFalse();
        assertThat(PolicyReach.matchesEveryRepository(java.util.List.of("**"), java.util.List.of("x")))
                .isFalse();
    }

    @Test
    void policyIntoProductionWithoutSignaturesIsHigh() throws Exception {
        ConfigAudit.Report report = audit(schedule("https://prod.example.com", "", ""));
        assertThat(report.findings()).extracting(Finding::rule).containsExactly("unsigned-production");
        assertThat(report.findings().get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(report.findings().get(0).message()).contains("\"apps\"").contains("prod");
    }

    @Test
    void signaturesFromDefaultsCount() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report report = audit(
                schedule("https://prod.example.com", "", "defaults:\n  verify: { cosign: { keys: [release.pub] } }\n"));
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void inlineCredentialsAreHighEvenThoughTheFileDoesNotLoad() throws Exception {
        ConfigAudit.Report report = audit("""
        version: 1
        registries:
          - name: hub
            url: https://hub.example.com
            credentials: { username: ci, password: hunter2 }
        """);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("inline-credentials");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.location().line()).isEqualTo(5);
            assertThat(f.message()).doesNotContain("hunter2");
        });
        assertThat(report.skipped()).isTrue();
    }

    @Test
    void plainApiOnANonLoopbackAddressIsHighButLoopbackIsFine() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report open =
                audit(schedule("https://prod.example.com", SIGNED, "api: { listen: 0.0.0.0:8080 }\n"));
        assertThat(open.findings()).extracting(Finding::rule).containsExactly("api-plaintext");
        assertThat(open.anyHigh()).isTrue();
        ConfigAudit.Report local =
                audit(schedule("https://prod.example.com", SIGNED, "api: { listen: 127.0.0.1:8080 }\n"));
        assertThat(local.findings()).isEmpty();
        ConfigAudit.Report tls = audit(schedule(
                "https://prod.example.com",
                SIGNED,
                "api: { listen: 0.0.0.0:8443, tls: { cert: a.crt, key: a.key } }\n"));
        assertThat(tls.findings()).isEmpty();
    }

    @Test
    void adminTokenWithoutExpiryIsHighOthersLow() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report report = audit(schedule(
                "https://prod.example.com", SIGNED, """
        api:
          tokens:
            - { name: root, role: admin, sha256: %s }
            - { name: dash, role: viewer, sha256: %s }
            - { name: ops, role: admin, sha256: %s, expires: "2027-01-31T00:00:00Z" }
        """.formatted(SHA, SHA.replace('a', 'b'), SHA.replace('a', 'c'))));
        assertThat(report.findings())
                .extracting(Finding::rule, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("admin-token-no-expiry", Severity.HIGH),
                        org.assertj.core.groups.Tuple.tuple("token-no-expiry", Severity.LOW));
        assertThat(report.findings().get(0).message()).contains("\"root\"").doesNotContain(SHA);
    }

    @Test
    void overwriteWithoutReleaseImmutabilityIsMedium() throws Exception {
        Files.copy(RELEASE_KEY, dir.resolve("release.pub"));
        ConfigAudit.Report bare =
                audit(schedule("https://prod.example.com", SIGNED + "\n    onConflict: overwrite", ""));
        assertThat(bare.findings())
                .extracting(Finding::rule, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("overwrite-mutable-releases", Severity.MEDIUM));
        ConfigAudit.Report guarded = audit(schedule(
                "https://prod.example.com",
                SIGNED + "\n    onConflict: overwrite\n    immutableTags: [\"^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$\"]",
                ""));
        assertThat(guarded.findings()).isEmpty();
    }

    @Test
    void anInvalidFileIsAConfigError() throws Exception {
        assertThatThrownBy(
                        () -> audit("version: 1\nregistries:\n  - { name: hub, url: https://h, productoin: true }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("productoin");
    }
}
