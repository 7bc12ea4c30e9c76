package dev.ferry.config.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.config.docs.SchemaTest.InvalidDocument;
import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.ConfigProblem;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.LinkConfig;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped examples load cleanly and mean what their headers say; the loader refuses the invalid documents. */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("examples");
    static final String MODELINE = "# yaml-language-server: $schema=../schema/ferry-schedule.schema.json";

    static Stream<Path> examples() throws IOException {
        return SchemaTest.examples();
    }

    static Stream<InvalidDocument> invalidDocuments() throws IOException {
        return SchemaTest.invalidDocuments();
    }

    private static Schedule load(String example) {
        return ScheduleLoader.load(EXAMPLES.resolve(example));
    }

    private static Policy policy(Schedule schedule, String name) {
        return schedule.policy(name).orElseThrow(() -> new AssertionError("no policy " + name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleLoadsWithoutProblems(Path example) {
        Schedule schedule = null;
        try {
            schedule = ScheduleLoader.load(example);
        } catch (ConfigException e) {
            throw new AssertionError(example + " has problems:\n" + e.getMessage(), e);
        }

        assertThat(schedule.version()).isEqualTo(1);
        assertThat(schedule.registries()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleStartsWithTheSchemaModelineAndSaysWhatItShows(Path example) throws IOException {
        List<String> lines = Files.readAllLines(example);
        List<String> header =
                lines.stream().takeWhile(l -> l.startsWith("#") || l.isBlank()).toList();

        assertThat(lines.get(0)).isEqualTo(MODELINE);
        assertThat(header.stream().filter(l -> l.length() > 2 && !l.equals(MODELINE)))
                .as("%s explains itself in a comment header", example)
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void everyInvalidDocumentIsRefusedByTheLoaderAtTheSameField(InvalidDocument document) {
        ConfigException refused =
                catchThrowableOfType(ConfigException.class, () -> ScheduleLoader.load(document.path()));

        assertThat(refused).as("%s should be refused", document).isNotNull();
        assertThat(refused.problems())
                .isNotEmpty()
                .as("%s: a problem at %s; got:%n%s", document, document.loaderPath(), refused.getMessage())
                .anySatisfy(p -> assertThat(p.path()).startsWith(document.loaderPath()));
        long lines = document.text().lines().count();
        assertThat(refused.problems()).allSatisfy(p -> {
            assertThat(p.location().file()).isEqualTo(document.path().toString());
            assertThat(p.location().line()).isBetween(1, (int) lines);
            assertThat(p.location().column()).isPositive();
        });
    }

    @Test
    void quickstartIsTwoLocalPlainHttpRegistriesAndOnePolicyWithFerrysDefaults() {
        Schedule s = load("quickstart.yaml");

        assertThat(s.registries()).hasSize(2).allSatisfy(r -> {
            assertThat(r.insecure()).isTrue();
            assertThat(r.plainHttp()).isTrue();
            assertThat(r.region()).isEqualTo("default");
            assertThat(r.credentials()).isNull();
        });
        assertThat(s.policies()).hasSize(1);
        Policy p = s.policies().get(0);
        assertThat(p.trigger().interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.trigger().manual()).isTrue();
        assertThat(p.tier()).isEqualTo(Tier.NORMAL);
        assertThat(p.onConflict()).isEqualTo(OnConflict.FAIL);
        assertThat(p.platforms()).isEmpty();
        assertThat(p.referrers()).isFalse();
        assertThat(p.verify().required()).isFalse();
        assertThat(p.targets().get(0).repositoryFor("samples/hello")).isEqualTo("mirror/samples/hello");
    }

    @Test
    void multiRegionHasThreeRegionsWithLinkQuotasAndCascadesItsDefaults() {
        Schedule s = load("multi-region.yaml");

        assertThat(s.registries().stream().map(RegistryConfig::region).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("eu-west", "us-east", "ap-south");
        assertThat(s.links())
                .extracting(l -> l.from() + "->" + l.to())
                .containsExactly("eu-west->us-east", "eu-west->ap-south", "us-east->ap-south");
        assertThat(s.links())
                .filteredOn(l -> l.to().equals("us-east"))
                .singleElement()
                .extracting(LinkConfig::bandwidth)
                .satisfies(b -> assertThat(b.bytesPerSecond()).isEqualTo(200L << 20));
        assertThat(s.links())
                .filteredOn(l -> l.to().equals("ap-south") && l.from().equals("eu-west"))
                .singleElement()
                .extracting(LinkConfig::bandwidth)
                .satisfies(b -> assertThat(b.bytesPerSecond()).isEqualTo(125_000_000L));
        assertThat(s.links())
                .filteredOn(l -> l.from().equals("us-east"))
                .singleElement()
                .extracting(LinkConfig::bandwidth)
                .satisfies(b -> assertThat(b.bytesPerSecond()).isEqualTo(50_000_000L));
        assertThat(s.policies())
                .extracting(Policy::tier)
                .containsExactly(Tier.CRITICAL, Tier.HIGH, Tier.BULK, Tier.NORMAL);
        assertThat(policy(s, "tooling").trigger().timezone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(policy(s, "charts").artifacts().include()).containsExactly("helm-chart");

        // "releases" sets only its tier: everything else comes from defaults.
        Policy releases = policy(s, "releases");
        assertThat(releases.trigger().interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(releases.trigger().event()).isTrue();
        assertThat(releases.onConflict()).isEqualTo(OnConflict.BACKUP);
        assertThat(releases.immutableTags()).containsExactly("^v?\\d+\\.\\d+\\.\\d+$");
        assertThat(releases.platforms()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(releases.referrers()).isTrue();
        assertThat(releases.source().tags().semver()).isEqualTo(">=1.2 <2");
        assertThat(releases.source().tags().latest()).isEqualTo(20);
        assertThat(releases.source().exclude()).hasSize(2);

        // A policy's own value wins, even an empty list.
        Policy base = policy(s, "base-images");
        assertThat(base.trigger().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(base.platforms()).isEmpty();
        assertThat(base.onConflict()).isEqualTo(OnConflict.BACKUP);

        Policy tooling = policy(s, "tooling");
        assertThat(tooling.trigger().cron()).isEqualTo("0 2 * * *");
        assertThat(tooling.trigger().interval()).isNull();
        assertThat(tooling.onConflict()).isEqualTo(OnConflict.OVERWRITE);
        assertThat(tooling.referrers()).isFalse();
        assertThat(tooling.source().tags().latest()).isEqualTo(3);
    }

    @Test
    void multiRegionReferencesSecretsButHoldsNone() {
        Schedule s = load("multi-region.yaml");

        assertThat(s.registry("hub-eu").orElseThrow().credentials().passwordEnv())
                .isEqualTo("HUB_EU_PASSWORD");
        assertThat(s.registry("mirror-us").orElseThrow().credentials().passwordFile())
                .startsWith("/run/secrets/");
        assertThat(s.registry("mirror-ap").orElseThrow().credentials().tokenFile())
                .startsWith("/run/secrets/");
        assertThat(s.registry("mirror-ap").orElseThrow().credentials().username())
                .isNull();
    }

    @Test
    void airgapWritesToAndReadsFromAnOciLayoutDirectory() {
        Schedule s = load("airgap.yaml");

        RegistryConfig transfer = s.registry("transfer").orElseThrow();
        assertThat(transfer.isLayout()).isTrue();
        assertThat(transfer.layoutDirectory()).isEqualTo(Path.of("/media/transfer/ferry-layout"));
        assertThat(transfer.credentials()).isNull();
        assertThat(policy(s, "export").targets())
                .singleElement()
                .satisfies(t -> assertThat(t.registry()).isEqualTo("transfer"));
        assertThat(policy(s, "import").source().registry()).isEqualTo("transfer");
        assertThat(policy(s, "import").trigger()).satisfies(t -> {
            assertThat(t.manual()).isTrue();
            assertThat(t.interval()).isNull();
            assertThat(t.cron()).isNull();
            assertThat(t.event()).isFalse();
        });
    }

    @Test
    void signedOnlyRequiresTheReleaseKeyThroughDefaults() {
        Schedule s = load("signed-only.yaml");

        Policy p = policy(s, "promote-services");
        assertThat(p.verify().required()).isTrue();
        assertThat(p.verify().cosignKeys()).containsExactly("keys/release.pub");
        assertThat(s.baseDirectory().resolve("keys/release.pub")).isRegularFile();
        assertThat(p.referrers()).isTrue();
        assertThat(p.referrerKinds().include()).containsExactly("signature", "attestation");
        assertThat(p.referrerKinds().exclude()).isEmpty();
        assertThat(p.immutableTags()).containsExactly(".*");
    }

    @Test
    void theReleaseKeyIsAnEcdsaP256PublicKeyAndNoPrivateKeyIsShipped() throws Exception {
        String pem = Files.readString(EXAMPLES.resolve("keys/release.pub"));
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----").contains("-----END PUBLIC KEY-----");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));

        ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));

        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(key.getParams().getOrder().bitLength()).isEqualTo(256);
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("PRIVATE KEY");
            }
        }
    }

    @Test
    void failoverHasRoutesAndItsOwnTiming() {
        Schedule s = load("failover.yaml");

        assertThat(s.routes()).hasSize(2);
        assertThat(s.routes().get(0).mirrors()).containsExactly("mirror-eu-a", "mirror-eu-b", "primary");
        assertThat(s.routes().get(1).region()).isEqualTo("us-east");
        assertThat(s.failover().probeInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.failover().downAfter()).isEqualTo(3);
        assertThat(s.failover().failbackAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.api().listen()).isEqualTo("0.0.0.0:8443");
        assertThat(s.api().tlsCert()).isEqualTo("/etc/ferry/tls/api.crt");
        assertThat(s.api().tlsKey()).isEqualTo("/etc/ferry/tls/api.key");
        assertThat(s.api().tokens())
                .extracting(t -> t.name() + ":" + t.role())
                .containsExactly("oncall:operator", "workers-eu:worker");
        assertThat(policy(s, "everything").tier()).isEqualTo(Tier.HIGH);
    }

    @Test
    void aProblemPrintsAsFileLineColumnPathMessage() {
        Path bad = Path.of("src", "test", "resources", "invalid", "bad-tier.yaml");

        assertThatThrownBy(() -> ScheduleLoader.load(bad))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems().get(0))
                .extracting(ConfigProblem::toString)
                .asString()
                .matches(Pattern.quote(bad.toString()) + ":\\d+:\\d+: policies\\[0]\\.tier: .+");
    }
}
