package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.config.model.PinnedDigest;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.ReplacePrefix;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.TagTemplate;
import dev.ferry.config.model.TargetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Repository mapping ({@code stripSegments}, {@code replacePrefix}), target tag templates,
 * digests pinned in the source and fallback endpoints: read, applied, and refused at
 * file:line:col where they cannot work.
 */
class TargetMappingConfigTest {

    private static final String D1 = "sha256:" + "a".repeat(64);
    private static final String D2 = "sha256:" + "b".repeat(64);

    private static String schedule(String policyLines) {
        return """
        version: 1
        registries:
          - { name: hub, url: "https://hub.example.com" }
          - { name: mirror, url: "https://mirror.example.com" }
        policies:
          - name: p
            trigger: { interval: 5m }
        %s
        """.formatted(policyLines.indent(4).stripTrailing());
    }

    private static Policy policy(String policyLines) {
        return ScheduleLoader.parse("test.yaml", schedule(policyLines), Path.of("."))
                .policy("p")
                .orElseThrow();
    }

    private static List<String> problems(String document) {
        try {
            ScheduleLoader.parse("test.yaml", document, Path.of("."));
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void stripSegmentsAndReplacePrefixRenameRepositoriesBeforeThePrefix() {
        TargetSpec strip = policy("""
        source: { registry: hub, repositories: ["team/**"] }
        targets: [ { registry: mirror, stripSegments: 3 } ]
        """).targets().get(0);
        TargetSpec replace = policy("""
        source: { registry: hub, repositories: ["**"] }
        targets: [ { registry: mirror, prefix: eu/, replacePrefix: { from: library/, to: mirror/ } } ]
        """).targets().get(0);

        assertThat(strip.repositoryFor("team/a/b/app")).isEqualTo("app");
        assertThatThrownBy(() -> strip.repositoryFor("team/a/b"))
                .hasMessage("stripSegments: 3 leaves nothing of \"team/a/b\" (3 segments)");
        assertThat(replace.replacePrefix()).isEqualTo(new ReplacePrefix("library/", "mirror/"));
        assertThat(replace.repositoryFor("library/nginx")).isEqualTo("eu/mirror/nginx");
        assertThat(replace.repositoryFor("tools/jq")).isEqualTo("eu/tools/jq");
        assertThat(new ReplacePrefix("library/", "").apply("library/nginx")).isEqualTo("nginx");
    }

    @Test
    void recheckTakesADurationOrZeroAndDefaultsToAnHour() {
        List<TargetSpec> targets = policy("""
        source: { registry: hub, repositories: [team/app] }
        targets:
          - { registry: mirror, prefix: a/, recheck: 10m }
          - { registry: mirror, prefix: b/, recheck: 0 }
          - { registry: mirror, prefix: c/, recheck: 0s }
          - { registry: mirror, prefix: d/ }
        """).targets();

        assertThat(targets)
                .extracting(TargetSpec::recheckPeriod)
                .containsExactly(Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
        assertThat(targets.get(3).recheck()).isNull();
        assertThat(targets.get(0).alwaysRechecked().recheckPeriod()).isZero();
    }

    @Test
    void aRecheckWithoutAUnitIsRefusedAtItsField() {
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: [team/app] }
        targets: [ { registry: mirror, recheck: 30 } ]
        """)))
                .containsExactly("test.yaml:9:45: policies[0].targets[0].recheck: invalid duration \"30\" at \"30\":"
                        + " write numbers with units ms, s, m, h, d, e.g. 30s, 5m or 1h30m; or 0 for none");
    }

    @Test
    void aRecheckLongerThanThirtyDaysIsRefusedAtItsField() {
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: [team/app] }
        targets: [ { registry: mirror, recheck: 31d } ]
        """)))
                .containsExactly("test.yaml:9:45: policies[0].targets[0].recheck: \"31d\" is longer than 30d, the"
                        + " longest Ferry keeps what it saw at a target tag; use 30d or less");
        assertThat(policy("""
        source: { registry: hub, repositories: [team/app] }
        targets: [ { registry: mirror, recheck: 30d } ]
        """).targets().get(0).recheckPeriod()).isEqualTo(TargetSpec.MAX_RECHECK);
    }

    @Test
    void twoLiteralRepositoriesLandingOnOneTargetAreRefusedAtTheMappingField() {
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: [team-a/app, team-b/app] }
        targets: [ { registry: mirror, stripSegments: 1 } ]
        """)))
                .containsExactly("test.yaml:9:51: policies[0].targets[0].stripSegments: source repositories"
                        + " \"team-a/app\" and \"team-b/app\" would both be written to \"app\" in mirror, each overwriting the"
                        + " other's tags; map them apart");
    }

    @Test
    void aLiteralNameTheMappingCannotTakeOrThatLandsOnItselfIsRefused() {
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: [app] }
        targets: [ { registry: mirror, stripSegments: 1 } ]
        """)))
                .containsExactly("test.yaml:9:51: policies[0].targets[0].stripSegments: repository \"app\":"
                        + " stripSegments: 1 leaves nothing of \"app\" (1 segment)");
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: [tools/jq] }
        targets: [ { registry: hub, replacePrefix: { from: library/, to: mirror/ } } ]
        """)))
                .containsExactly("test.yaml:9:48: policies[0].targets[0].replacePrefix: repository \"tools/jq\""
                        + " would be copied onto itself in hub");
    }

    @Test
    void globsAreLeftToThePlannerAndBadMappingFieldsAreRefused() {
        assertThat(policy("""
        source: { registry: hub, repositories: ["team-*/app"] }
        targets: [ { registry: mirror, stripSegments: 1 } ]
        """).targets()).hasSize(1);
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: ["**"] }
        targets:
          - { registry: mirror, stripSegments: 1, replacePrefix: { from: a/, to: b/ } }
          - { registry: mirror, replacePrefix: { from: library, to: Mirror/ } }
          - { registry: mirror, stripSegments: 0 }
        """)))
                .containsExactly(
                        "test.yaml:10:44: policies[0].targets[0].stripSegments: give stripSegments or replacePrefix, not both",
                        "test.yaml:11:52: policies[0].targets[1].replacePrefix.from: invalid path \"library\": the leading part"
                                + " of a repository name, ending in '/', e.g. \"library/\"",
                        "test.yaml:11:65: policies[0].targets[1].replacePrefix.to: invalid path \"Mirror/\": a repository path"
                                + " ending in '/' (e.g. \"mirror/\"), or \"\" to drop the path",
                        "test.yaml:12:44: policies[0].targets[2].stripSegments: must be between 1 and 32, got 0");
    }

    @Test
    void propagateDeletesRefusesAMappingThatCannotLeadBack() {
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: ["**"] }
        targets: [ { registry: mirror, stripSegments: 1 } ]
        propagateDeletes: true
        """)))
                .containsExactly("test.yaml:9:51: policies[0].targets[0].stripSegments: propagateDeletes needs each"
                        + " target repository to lead back to one source repository, which stripSegments and replacePrefix do not"
                        + " allow: use prefix here, or switch propagateDeletes off");
    }

    @Test
    void aTagTemplateWrapsTheSourceTagAndLeadsBackFromIt() {
        TargetSpec t = policy("""
        source: { registry: hub, repositories: ["**"] }
        targets: [ { registry: mirror, tag: "eu-{tag}-m" } ]
        """).targets().get(0);

        assertThat(t.tag()).isEqualTo(new TagTemplate("eu-", "-m"));
        assertThat(t.tagFor("v1.2")).isEqualTo("eu-v1.2-m");
        assertThat(t.sourceTagOf("eu-v1.2-m")).contains("v1.2");
        assertThat(t.sourceTagOf("v1.2")).isEmpty();
        assertThatThrownBy(() -> t.tagFor("x".repeat(125)))
                .hasMessage("tag template \"eu-{tag}-m\" makes a tag of 130" + " characters from \"" + "x".repeat(125)
                        + "\"; a tag has at most 128");
    }

    @Test
    void aTagTemplateThatCannotAlwaysMakeAValidTagIsRefused() {
        assertThat(problems(schedule("""
        source: { registry: hub, repositories: ["**"] }
        targets:
          - { registry: mirror, tag: "mirror" }
          - { registry: mirror, tag: "-{tag}" }
          - { registry: mirror, tag: "{tag}/x" }
        """)))
                .containsExactly(
                        "test.yaml:10:34: policies[0].targets[0].tag: invalid tag template \"mirror\": a tag template holds"
                                + " \"{tag}\" exactly once, e.g. \"{tag}-mirror\"",
                        "test.yaml:11:34: policies[0].targets[1].tag: invalid tag template \"-{tag}\": a tag starts with a letter,"
                                + " a digit or '_', so the text before {tag} must too",
                        "test.yaml:12:34: policies[0].targets[2].tag: invalid tag template \"{tag}/x\": the text around {tag} may"
                                + " hold only letters, digits, '_', '.' and '-'");
    }

    @Test
    void digestsArePinnedWithOrWithoutATagAndAloneCopyNoTags() {
        Policy only = policy("""
        source: { registry: hub, repositories: [base/alpine], digests: [%s, { digest: %s, tag: pinned }] }
        targets: [ { registry: mirror } ]
        """.formatted(D1, D2));
        Policy both = policy("""
        source: { registry: hub, repositories: [base/alpine], digests: [%s], tags: { include: [latest] } }
        targets: [ { registry: mirror } ]
        """.formatted(D1));

        assertThat(only.source().digests()).containsExactly(new PinnedDigest(D1, null), new PinnedDigest(D2, "pinned"));
        assertThat(only.source().copiesTags()).isFalse();
        assertThat(both.source().copiesTags()).isTrue();
    }

    @Test
    void badDigestEntriesAreRefusedAtTheirItem() {
        assertThat(problems(schedule("""
        source:
          registry: hub
          repositories: [base/alpine]
          digests:
            - sha256:abc
            - { digest: %s, tag: -bad }
            - { digest: %s, tag: one }
            - { digest: %s, tag: one }
            - 7
        targets: [ { registry: mirror } ]
        """.formatted(D1, D1, D2))))
                .containsExactly(
                        "test.yaml:12:11: policies[0].source.digests[0]: invalid digest \"sha256:abc\": "
                                + problemText("sha256:abc") + " (give sha256: and 64 hex digits)",
                        "test.yaml:13:99: policies[0].source.digests[1].tag: invalid tag \"-bad\": up to 128 letters, digits, '_',"
                                + " '.' and '-', not starting with '.' or '-'",
                        "test.yaml:15:99: policies[0].source.digests[3].tag: tag \"one\" is already given to " + D1
                                + "; one tag holds one digest",
                        "test.yaml:16:11: policies[0].source.digests[4]: expected a string or a mapping, got a number");
    }

    private static String problemText(String digest) {
        try {
            Digest.parse(digest);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void fallbackUrlsAreReadAndCheckedLikeUrl() {
        Schedule s = ScheduleLoader.parse("test.yaml", """
        version: 1
        registries:
          - { name: hub, url: "https://hub.example.com", fallbackUrls: ["https://hub-b.example.com/"] }
        """, Path.of("."));
        RegistryConfig hub = s.registry("hub").orElseThrow();
        assertThat(hub.urls()).containsExactly("https://hub.example.com", "https://hub-b.example.com");

        assertThat(problems("""
        version: 1
        registries:
          - name: hub
            url: "https://hub.example.com"
            fallbackUrls: ["http://hub-b.example.com", "https://hub.example.com", "oci:/tmp/x", "https://c/x"]
        """))
                .containsExactly(
                        "test.yaml:5:20: registries[0].fallbackUrls[0]: plain http:// needs insecure: true: credentials and images"
                                + " would cross the network unprotected",
                        "test.yaml:5:48: registries[0].fallbackUrls[1]: \"https://hub.example.com\" is listed already; list each"
                                + " endpoint once",
                        "test.yaml:5:75: registries[0].fallbackUrls[2]: a fallback is a registry URL (https://HOST[:PORT]), not an"
                                + " OCI layout",
                        "test.yaml:5:89: registries[0].fallbackUrls[3]: invalid URL \"https://c/x\": give only scheme, host and port"
                                + " (no path, query or user); credentials go in credentials:");
    }
}
