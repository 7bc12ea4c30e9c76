package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per class of mistake: each names the file, line, column and field. */
class ScheduleLoaderTest {

    private static final String VALID = """
      version: 1
      registries:
        - name: hub-eu
          url: https://registry.eu.example.com
          region: eu-west
        - name: mirror-us
          url: https://mirror.us.example.com
          region: us-east
          credentials: { username: ci, passwordEnv: MIRROR_US_PASSWORD }
      links:
        - { from: eu-west, to: us-east, bandwidth: 200MiB/s }
      defaults:
        tier: high
        trigger: { interval: 5m }
      policies:
        - name: apps-to-us
          source: { registry: hub-eu, repositories: ["team/*"], tags: { include: ["^v.*"] } }
          targets: [ { registry: mirror-us, prefix: "mirror/" } ]
          onConflict: backup
      routes:
        - { name: ci-eu, region: eu-west, mirrors: [mirror-us, hub-eu] }
      """;

    private static Schedule load(String yaml) {
        return ScheduleLoader.parse("test.yaml", yaml, Path.of("."));
    }

    private static List<String> problems(String yaml) {
        try {
            load(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void validScheduleLoadsWithDefaultsCascaded() {
        Schedule s = load(VALID);

        Policy p = s.policies().get(0);
        assertThat(p.tier()).isEqualTo(Tier.HIGH);
        assertThat(p.trigger().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.onConflict()).isEqualTo(OnConflict.BACKUP);
        assertThat(p.targets().get(0).repositoryFor("team/app")).isEqualTo("mirror/team/app");
        assertThat(s.links().get(0).bandwidth().bytesPerSecond()).isEqualTo(200L * 1024 * 1024);
        assertThat(s.failover().downAfter()).isEqualTo(3);
        assertThat(s.api().listen()).isEqualTo("127.0.0.1:8080");
        assertThat(s.cluster().name()).isEqualTo("ferry");
    }

    @Test
    void driftAndDeleteSettingsDefaultOffAndCascade() {
        Policy plain = load(VALID).policies().get(0);
        assertThat(plain.onDrift()).isEqualTo(OnDrift.REPORT);
        assertThat(plain.propagateDeletes()).isFalse();
        assertThat(plain.trigger().verify()).isNull();

        Policy set = load(VALID.replace("  tier: high\n", "  tier: high\n  onDrift: repair\n  propagateDeletes: true\n")
                        .replace("trigger: { interval: 5m }", "trigger: { interval: 5m, verify: 1h }"))
                .policies()
                .get(0);
        assertThat(set.onDrift()).isEqualTo(OnDrift.REPAIR);
        assertThat(set.propagateDeletes()).isTrue();
        assertThat(set.trigger().verify()).isEqualTo(Duration.ofHours(1));

        assertThat(problems(VALID.replace("    onConflict: backup", "    onDrift: fix")))
                .anySatisfy(p -> assertThat(p).contains("policies[0].onDrift").contains("report, repair"));
        assertThat(problems(VALID.replace("trigger: { interval: 5m }", "trigger: { interval: 5m, verify: 2s }")))
                .anySatisfy(p -> assertThat(p).contains("defaults.trigger.verify"));
    }

    @Test
    void clusterNameIsReadAndChecked() {
        assertThat(load(VALID + "cluster: { name: ferry-prod.eu_1 }\n")
                        .cluster()
                        .name())
                .isEqualTo("ferry-prod.eu_1");
        assertThat(problems(VALID + "cluster:\n  name: \"prod eu\"\n"))
                .anySatisfy(p -> assertThat(p).contains("cluster.name: invalid cluster name \"prod eu\""));
        assertThat(problems(VALID + "cluster: { nmae: x }\n"))
                .anySatisfy(
                        p -> assertThat(p).contains("unknown field \"nmae\"").contains("did you mean \"name\"?"));
    }

    @Test
    void explicitPolicyValuesWinOverDefaults() {
        Schedule s = load(VALID.replace("onConflict: backup", "onConflict: backup\n    tier: bulk"));

        assertThat(s.policies().get(0).tier()).isEqualTo(Tier.BULK);
    }

    @Test
    void unknownFieldIsNamedWithASuggestion() {
        assertThat(problems(
                        VALID.replace("region: eu-west\n  - name: mirror-us", "regoin: eu-west\n  - name: mirror-us")))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("test.yaml:5:5: registries[0].regoin: unknown field \"regoin\"")
                        .contains("did you mean \"region\"?"));
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        assertThat(problems(VALID.replace("    onConflict: backup", "    referrers: yes-please")))
                .anySatisfy(p ->
                        assertThat(p).startsWith("test.yaml:19:16: policies[0].referrers: expected true or false"));
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThat(problems(VALID.replace("    url: https://registry.eu.example.com\n", "")))
                .anySatisfy(p -> assertThat(p).contains("registries[0].url: missing required field \"url\""));
    }

    @Test
    void duplicateNamesPointAtTheSecondOne() {
        assertThat(problems(VALID.replace("name: mirror-us", "name: hub-eu")))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("test.yaml:6:11: registries[1].name: duplicate registry name \"hub-eu\"")
                        .contains("line 3"));
        String twoPolicies = VALID.replace("routes:", """
          - name: apps-to-us
            source: { registry: hub-eu, repositories: ["x"] }
            targets: [ { registry: mirror-us } ]
        routes:""");
        assertThat(problems(twoPolicies))
                .anySatisfy(p -> assertThat(p).contains("duplicate policy name \"apps-to-us\""));
        assertThat(problems(VALID + "  - { name: ci-eu, region: eu-west, mirrors: [hub-eu] }\n"))
                .anySatisfy(p -> assertThat(p).contains("duplicate route name \"ci-eu\""));
    }

    @Test
    void unknownRegistryReferenceSuggestsTheClosest() {
        assertThat(problems(VALID.replace("registry: mirror-us, prefix", "registry: mirror-su, prefix")))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("test.yaml:18:28: policies[0].targets[0].registry: unknown registry \"mirror-su\"")
                        .contains("did you mean \"mirror-us\"?"));
        assertThat(problems(VALID.replace("mirrors: [mirror-us, hub-eu]", "mirrors: [mirror-us, hub-ue]")))
                .anySatisfy(p -> assertThat(p).contains("routes[0].mirrors[1]: unknown registry \"hub-ue\""));
    }

    @Test
    void plainHttpNeedsInsecure() {
        assertThat(problems(VALID.replace("https://registry.eu.example.com", "http://registry.eu.example.com")))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("test.yaml:4:10: registries[0].url: plain http:// needs insecure: true"));
        load(VALID.replace(
                "url: https://registry.eu.example.com", "url: http://registry.eu.example.com\n    insecure: true"));
    }

    @Test
    void badGlobAndBadRegexAreReportedWithTheirError() {
        assertThat(problems(VALID.replace("[\"team/*\"]", "[\"team/{a,b\"]")))
                .anySatisfy(p -> assertThat(p)
                        .contains("policies[0].source.repositories[0]")
                        .contains("team/{a,b"));
        assertThat(problems(VALID.replace("[\"^v.*\"]", "[\"^v(1\"]")))
                .anySatisfy(p -> assertThat(p)
                        .contains("policies[0].source.tags.include[0]: invalid regex \"^v(1\"")
                        .contains("missing closing )"));
    }

    @Test
    void aRegexThatNeedsBacktrackingIsRefusedAtItsPlace() {
        String yaml = VALID.replace(
                        "tags: { include: [\"^v.*\"] } }", "tags: { include: [\"^v.*\"], exclude: ['(rc)\\1'] } }")
                .replace("onConflict: backup", "onConflict: backup\n    immutableTags: ['^v(?=\\d)']");

        assertThat(problems(yaml))
                .containsExactly(
                        "test.yaml:17:96: policies[0].source.tags.exclude[0]: invalid regex \"(rc)\\1\": invalid escape sequence:"
                                + " `\\1` (Ferry regexes use RE2 syntax, which runs in linear time and has no backreferences,"
                                + " lookaround or possessive quantifiers)",
                        "test.yaml:20:21: policies[0].immutableTags[0]: invalid regex \"^v(?=\\d)\": invalid or unsupported Perl"
                                + " syntax: `(?=` (Ferry regexes use RE2 syntax, which runs in linear time and has no backreferences,"
                                + " lookaround or possessive quantifiers)");
    }

    @Test
    void aRegexThatWouldBacktrackForeverInJavaIsAccepted() {
        Schedule s = load(VALID.replace("[\"^v.*\"]", "['(.*a){12}']"));

        assertThat(s.policies().get(0).source().tags().include()).containsExactly("(.*a){12}");
    }

    @Test
    void aFileJustUnderTheDocumentedLimitLoads(@TempDir Path dir) throws Exception {
        Path file = padded(dir, ScheduleLoader.MAX_FILE_BYTES);

        assertThat(ScheduleLoader.load(file).policies()).hasSize(1);
    }

    @Test
    void aFileOverTheDocumentedLimitIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path file = padded(dir, ScheduleLoader.MAX_FILE_BYTES + 1);

        assertThatThrownBy(() -> ScheduleLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .map(ConfigProblem::toString)
                                .containsExactly(file + ":1:1: cannot read the"
                                        + " schedule: " + file
                                        + " is larger than 4 MiB (4194304 bytes); a schedule is a YAML file of at most"
                                        + " 4 MiB (4194304 bytes)"));
    }

    @Test
    void textOverTheLimitIsRefusedByTheParserToo() {
        // A file at the limit (above) holds 4 Mi code points, more than SnakeYAML's default 3 Mi.
        String yaml = "#" + "x".repeat(ScheduleLoader.MAX_FILE_BYTES) + "\n" + VALID;

        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exceeds the limit: 4194304 code points");
    }

    /** The valid schedule followed by a comment, {@code size} bytes in all. */
    private static Path padded(Path dir, int size) throws IOException {
        String comment = "#" + "x".repeat(size - VALID.length() - 2) + "\n";
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, VALID + comment);
        assertThat(Files.size(file)).isEqualTo(size);
        return file;
    }

    @Test
    void badCronIsReported() {
        assertThat(problems(VALID.replace("trigger: { interval: 5m }", "trigger: { cron: \"61 * * * *\" }")))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("test.yaml:14:20: defaults.trigger.cron: invalid cron expression \"61 * * * *\""));
    }

    @Test
    void artifactKindsAreKindNamesOrMediaTypes() {
        String ok = VALID.replace(
                "onConflict: backup",
                "onConflict: backup\n    artifacts: { include: [helm-chart, "
                        + "\"application/vnd.wasm.config.v0+json\"], exclude: [sbom] }");
        assertThat(load(ok).policies().get(0).artifacts().include())
                .containsExactly("helm-chart", "application/vnd.wasm.config.v0+json");
        assertThat(problems(ok.replace("[helm-chart,", "[helm-chrt,")))
                .containsExactly(
                        "test.yaml:20:27: policies[0].artifacts.include: entry 0: unknown artifact kind \"helm-chrt\": give one of "
                                + "[image, index, helm-chart, signature, sbom, attestation, wasm] or a media type such as "
                                + "application/vnd.cncf.helm.config.v1+json; did you mean \"helm-chart\"?");
    }

    @Test
    void referrersTakeABooleanOrAFilterOfKinds() {
        assertThat(load(VALID).policies().get(0).referrers()).isFalse();
        assertThat(load(VALID).policies().get(0).referrerKinds()).isNull();
        Policy all = load(VALID.replace("onConflict: backup", "onConflict: backup\n    referrers: true"))
                .policies()
                .get(0);
        assertThat(all.referrers()).isTrue();
        assertThat(all.referrerKinds()).isNull();

        Policy some = load(VALID.replace(
                        "onConflict: backup",
                        "onConflict: backup\n    referrers: { include: "
                                + "[signature, \"application/spdx+json\"], exclude: [attestation] }"))
                .policies()
                .get(0);
        assertThat(some.referrers()).isTrue();
        assertThat(some.referrerKinds().include()).containsExactly("signature", "application/spdx+json");
        assertThat(some.referrerKinds().exclude()).containsExactly("attestation");
    }

    @Test
    void aReferrersFilterInDefaultsIsReplacedWholeByAPolicyValue() {
        String withDefault = VALID.replace("tier: high", "tier: high\n  referrers: { include: [signature] }");
        Policy inherited = load(withDefault).policies().get(0);
        assertThat(inherited.referrers()).isTrue();
        assertThat(inherited.referrerKinds().include()).containsExactly("signature");
        Policy off = load(withDefault.replace("onConflict: backup", "onConflict: backup\n    referrers: false"))
                .policies()
                .get(0);
        assertThat(off.referrers()).isFalse();
        assertThat(off.referrerKinds()).isNull();
        Policy every = load(withDefault.replace("onConflict: backup", "onConflict: backup\n    referrers: true"))
                .policies()
                .get(0);
        assertThat(every.referrers()).isTrue();
        assertThat(every.referrerKinds()).isNull();
    }

    @Test
    void anUnknownReferrerKindIsRefusedWithItsPlaceAndAHint() {
        assertThat(problems(VALID.replace(
                        "onConflict: backup", "onConflict: backup\n    referrers: { include: [signatures] }")))
                .containsExactly(
                        "test.yaml:20:27: policies[0].referrers.include: entry 0: unknown artifact kind \"signatures\": give one of "
                                + "[image, index, helm-chart, signature, sbom, attestation, wasm] or a media type such as "
                                + "application/vnd.cncf.helm.config.v1+json; did you mean \"signature\"?");
        assertThat(problems(VALID.replace("onConflict: backup", "onConflict: backup\n    referrers: { only: [sbom] }")))
                .singleElement()
                .asString()
                .startsWith("test.yaml:20:")
                .contains("policies[0].referrers")
                .contains("only");
        assertThat(problems(VALID.replace("onConflict: backup", "onConflict: backup\n    referrers: yes please")))
                .singleElement()
                .asString()
                .contains("policies[0].referrers")
                .contains("true or false");
    }

    @Test
    void cronTimezoneIsAnIanaZoneAndUtcByDefault() {
        assertThat(load(VALID.replace("trigger: { interval: 5m }", "trigger: { cron: \"0 2 * * *\" }"))
                        .policies()
                        .get(0)
                        .trigger()
                        .timezone())
                .isEqualTo(ZoneOffset.UTC);
        assertThat(load(VALID.replace(
                                "trigger: { interval: 5m }",
                                "trigger: { cron: \"0 2 * * *\", timezone: Europe/Berlin }"))
                        .policies()
                        .get(0)
                        .trigger()
                        .timezone())
                .isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(problems(VALID.replace(
                        "trigger: { interval: 5m }", "trigger: { cron: \"0 2 * * *\", timezone: Europe/Berln }")))
                .containsExactly(
                        "test.yaml:14:43: defaults.trigger.timezone: unknown time zone \"Europe/Berln\": give an IANA zone name such"
                                + " as Europe/Berlin, America/New_York or UTC; did you mean \"Europe/Berlin\"?");
        assertThat(problems(VALID.replace("trigger: { interval: 5m }", "trigger: { interval: 5m, timezone: UTC }")))
                .containsExactly(
                        "test.yaml:14:38: defaults.trigger.timezone: timezone applies to cron only: add a cron "
                                + "schedule or remove timezone");
    }

    @Test
    void badIntervalAndBandwidthAreReported() {
        assertThat(problems(VALID.replace("interval: 5m", "interval: 5 minutes")))
                .anySatisfy(p -> assertThat(p).contains("defaults.trigger.interval: invalid duration \"5 minutes\""));
        assertThat(problems(VALID.replace("bandwidth: 200MiB/s", "bandwidth: 200 megs")))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("test.yaml:11:46: links[0].bandwidth: invalid bandwidth \"200 megs\""));
        load(VALID.replace("interval: 5m", "interval: 1h30m").replace("200MiB/s", "1Gbit/s"));
    }

    @Test
    void unknownTierAndOnConflictListTheChoices() {
        assertThat(problems(VALID.replace("tier: high", "tier: hihg")))
                .anySatisfy(p -> assertThat(p)
                        .contains("defaults.tier: unknown tier \"hihg\" (one of critical, high, normal, bulk)")
                        .contains("did you mean \"high\"?"));
        assertThat(problems(VALID.replace("onConflict: backup", "onConflict: clobber")))
                .anySatisfy(
                        p -> assertThat(p)
                                .contains(
                                        "policies[0].onConflict: unknown onConflict \"clobber\" (one of overwrite, skip, fail, backup)"));
    }

    @Test
    void targetEqualToTheSourceIsRefused() {
        assertThat(problems(VALID.replace("registry: mirror-us, prefix: \"mirror/\"", "registry: hub-eu")))
                .anySatisfy(
                        p -> assertThat(p).contains("policies[0].targets[0].registry: target is the source itself"));
    }

    @Test
    void unknownVersionSaysWhichAreSupported() {
        assertThat(problems(VALID.replace("version: 1", "version: 7")))
                .containsExactly("test.yaml:1:10: version: unsupported version \"7\"; this Ferry reads version 1");
        assertThat(problems(VALID.replace("version: 1\n", "")))
                .anySatisfy(p -> assertThat(p).contains("missing required field \"version\""));
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        String broken = VALID.replace("tier: high", "tier: hihg")
                .replace("bandwidth: 200MiB/s", "bandwidth: lots")
                .replace("onConflict: backup", "onConflict: clobber");

        List<String> problems = problems(broken);

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("links[0].bandwidth");
        assertThat(problems.get(1)).contains("defaults.tier");
        assertThat(problems.get(2)).contains("policies[0].onConflict");
    }

    @Test
    void yamlSyntaxErrorHasALocation() {
        assertThat(problems("version: 1\nregistries: [\n  - name: x\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("test.yaml:").contains("YAML syntax error"));
    }

    @Test
    void duplicateYamlKeysAreRefused() {
        assertThat(problems("version: 1\nversion: 1\nregistries: []\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("test.yaml:2:1").contains("duplicate key \"version\""));
    }

    @Test
    void policyWithoutAnyTriggerIsRefused() {
        assertThat(problems(VALID.replace("  trigger: { interval: 5m }\n", "")))
                .anySatisfy(p -> assertThat(p).contains("policy \"apps-to-us\" has no trigger"));
    }

    @Test
    void intervalAndCronTogetherAreRefused() {
        assertThat(problems(
                        VALID.replace("trigger: { interval: 5m }", "trigger: { interval: 5m, cron: \"*/5 * * * *\" }")))
                .anySatisfy(p -> assertThat(p).contains("give interval or cron, not both"));
    }

    @Test
    void linkToAnUnknownRegionIsRefused() {
        assertThat(problems(VALID.replace("to: us-east", "to: us-eats")))
                .anySatisfy(p -> assertThat(p)
                        .contains("links[0].to: unknown region \"us-eats\"")
                        .contains("did you mean \"us-east\"?"));
    }

    @Test
    void credentialsNeedExactlyOneSecretSource() {
        assertThat(problems(VALID.replace("passwordEnv: MIRROR_US_PASSWORD", "passwordEnv: A, passwordFile: /x")))
                .anySatisfy(p ->
                        assertThat(p).contains("exactly one of passwordEnv, passwordFile, tokenFile or dockerConfig"));
    }

    @Test
    void enumValuesAreCaseSensitive() {
        assertThat(problems(VALID.replace("tier: high", "tier: HIGH")))
                .anySatisfy(p -> assertThat(p).contains("unknown tier \"HIGH\"").contains("did you mean \"high\"?"));
    }

    @Test
    void prefixMustBeARepositoryPathEndingInASlash() {
        assertThat(problems(VALID.replace("prefix: \"mirror/\"", "prefix: \"mirror\"")))
                .anySatisfy(p -> assertThat(p).contains("targets[0].prefix: invalid prefix \"mirror\""));
        assertThat(problems(VALID.replace("prefix: \"mirror/\"", "prefix: \"mirror_/\"")))
                .anySatisfy(p -> assertThat(p).contains("invalid prefix"));
    }

    @Test
    void emptyVerifyDoesNotSwitchOffASignatureRuleFromDefaults(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("k.pub"), VerifyKeysTest.pem(VerifyKeysTest.ecPublicKey("secp256r1")));
        String yaml = VALID.replace("  tier: high\n", "  tier: high\n  verify: { cosign: { keys: [k.pub] } }\n")
                .replace("onConflict: backup", "onConflict: backup\n    verify: {}");

        Schedule s = ScheduleLoader.parse("test.yaml", yaml, dir);

        assertThat(s.policies().get(0).verify().cosignKeys()).containsExactly("k.pub");
    }

    @Test
    void relativeLayoutDirectoriesResolveAgainstTheScheduleFile(@TempDir Path dir) {
        String yaml = VALID.replace("url: https://mirror.us.example.com", "url: oci:export")
                .replace("    credentials: { username: ci, passwordEnv: MIRROR_US_PASSWORD }\n", "");

        Schedule s = ScheduleLoader.parse("test.yaml", yaml, dir);

        assertThat(s.registry("mirror-us").orElseThrow().layoutDirectory()).isEqualTo(dir.resolve("export"));
        assertThat(problems(VALID.replace("url: https://mirror.us.example.com", "url: oci:/srv/export")))
                .anySatisfy(p -> assertThat(p).contains("an OCI layout directory (oci:) takes no credentials"));
    }

    @Test
    void problemMessagesNeverContainTheEnvironmentValue() {
        // The loader never reads secrets: an invalid file names the variable, and nothing else.
        assertThatThrownBy(() -> load(VALID.replace("tier: high", "tier: 3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("defaults.tier: expected a string, got a number (3)");
    }
}
