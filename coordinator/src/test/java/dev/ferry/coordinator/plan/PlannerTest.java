package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.config.model.ApiConfig;
import dev.ferry.config.model.ClusterConfig;
import dev.ferry.config.model.CredentialsConfig;
import dev.ferry.config.model.FailoverConfig;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.SourceSpec;
import dev.ferry.config.model.TagSpec;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.model.Tier;
import dev.ferry.config.model.Trigger;
import dev.ferry.config.model.VerifySpec;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The planner against in-memory registries. */
@ExtendWith(VertxExtension.class)
class PlannerTest {

    private static final CredentialsConfig MIRROR_CREDS = new CredentialsConfig("ci", "MIRROR_PASSWORD", null, null);

    private Vertx vertx;
    private FakeRegistry hub;
    private FakeRegistry mirror;
    private FakeRegistry backup;
    private FakeRegistries registries;
    private final List<RegistryConfig> configs = new ArrayList<>(List.of(
            registry("hub", "https://hub.example", null, null),
            registry("mirror", "https://mirror.example:5443", MIRROR_CREDS, null),
            registry("backup", "http://backup.example", null, null),
            registry("layout", "oci:/var/ferry/layout", null, null)));

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        hub = new FakeRegistry(vertx);
        mirror = new FakeRegistry(vertx);
        backup = new FakeRegistry(vertx);
        registries =
                new FakeRegistries().with("hub", hub).with("mirror", mirror).with("backup", backup);
    }

    private static RegistryConfig registry(String name, String url, CredentialsConfig creds, Integer maxConcurrency) {
        return new RegistryConfig(name, url, "default", url.startsWith("http:"), creds, null, maxConcurrency);
    }

    private Schedule schedule() {
        return new Schedule(
                1,
                configs,
                List.of(),
                List.of(),
                List.of(),
                FailoverConfig.defaults(),
                ApiConfig.defaults(),
                ClusterConfig.defaults(),
                Path.of("."));
    }

    private static Policy policy(SourceSpec source, TargetSpec... targets) {
        return new Policy(
                "apps",
                source,
                List.of(targets),
                Trigger.manualOnly(),
                Tier.HIGH,
                OnConflict.BACKUP,
                List.of(),
                List.of("linux/amd64"),
                true,
                VerifySpec.none(),
                OnDrift.REPORT,
                false);
    }

    private static SourceSpec source(List<String> repositories, List<String> exclude, TagSpec tags) {
        return new SourceSpec("hub", repositories, exclude, tags);
    }

    private static SourceSpec source(String... repositories) {
        return source(List.of(repositories), List.of(), TagSpec.all());
    }

    private static TargetSpec to(String registry) {
        return new TargetSpec(registry, "");
    }

    private Plan plan(Policy policy) throws Exception {
        return plan(policy, Planner.DEFAULT_CALLS_PER_REGISTRY);
    }

    private Plan plan(Policy policy, int callsPerRegistry) throws Exception {
        return Await.result(
                new Planner(vertx, schedule(), registries, callsPerRegistry, registry -> null).plan(policy, "run-1"));
    }

    private static List<String> planned(Plan plan) {
        return plan.jobs().stream()
                .map(j -> j.targetRegistry() + " " + j.targetRepository() + ":" + j.tag())
                .toList();
    }

    @Test
    void repositoriesAreChosenFromTheCatalogByGlobsAndExcludes() throws Exception {
        hub.tags("team/app", "a", "v1")
                .tags("team/api", "b", "v1")
                .tags("team/legacy", "c", "v1")
                .tags("team/sub/deep", "d", "v1")
                .tags("other/app", "e", "v1");

        Plan plan =
                plan(policy(source(List.of("team/*", "{x,y}/z"), List.of("team/leg*"), TagSpec.all()), to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:v1", "mirror team/api:v1");
        assertThat(registries.catalogCalls).hasValue(1);
        assertThat(plan.errors()).isEmpty();
    }

    @Test
    void signatureAndReferrerTagsTravelWithTheirImageInsteadOfBeingPlanned() throws Exception {
        String hex = "ab".repeat(32);
        hub.tags("team/app", "a", "v1")
                .tags(
                        "team/app",
                        "s",
                        "sha256-" + hex + ".sig",
                        "sha256-" + hex + ".att",
                        "sha256-" + hex + ".sbom",
                        "sha256-" + hex)
                .tags("team/app", "x", "sha256-" + hex + ".other");

        Policy carrying = policy(source("team/app"), to("mirror"));
        Policy plain = new Policy(
                "plain",
                source("team/app"),
                List.of(to("mirror")),
                Trigger.manualOnly(),
                Tier.HIGH,
                OnConflict.BACKUP,
                List.of(),
                List.of(),
                false,
                VerifySpec.none(),
                OnDrift.REPORT,
                false);

        assertThat(planned(plan(carrying)))
                .containsExactlyInAnyOrder("mirror team/app:v1", "mirror team/app:sha256-" + hex + ".other");
        assertThat(planned(plan(plain))).hasSize(6);
    }

    @Test
    void literalRepositoryNamesAreUsedWithoutListingTheCatalog() throws Exception {
        hub.tags("team/app", "a", "v1").tags("team/api", "b", "v1").tags("team/web", "c", "v1");

        Plan plan = plan(policy(
                source(List.of("team/app", "team/web", "team/app"), List.of("team/web"), TagSpec.all()), to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:v1");
        assertThat(registries.catalogCalls).hasValue(0);
    }

    @Test
    void aLiteralRepositoryThatDoesNotExistIsAnError() throws Exception {
        hub.tags("team/app", "a", "v1");

        Plan plan = plan(policy(source("team/app", "team/gone"), to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:v1");
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .contains("source hub team/gone")
                .contains("HTTP 404")
                .contains("NAME_UNKNOWN");
    }

    @Test
    void tagFiltersApplyIncludeExcludeSemverAndLatest() throws Exception {
        hub.tags("team/app", "a", "v1.0.0", "v1.2.0", "v1.3.0-rc1", "v1.4.0", "v2.0.0", "v3.1.0", "latest", "dev");

        Plan plan = plan(policy(
                source(
                        List.of("team/app"),
                        List.of(),
                        new TagSpec(List.of("v.*"), List.of(".*-rc\\d+"), ">=1.1 <3", 2)),
                to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:v2.0.0", "mirror team/app:v1.4.0");
        assertThat(hub.heads).containsExactlyInAnyOrder("team/app:v2.0.0", "team/app:v1.4.0");
    }

    @Test
    void onlyMissingOrDifferingTagsArePlannedAndTheRestCountAsUpToDate() throws Exception {
        hub.tag("team/app", "same", "one").tag("team/app", "moved", "two").tag("team/app", "new", "three");
        mirror.tag("team/app", "same", "one").tag("team/app", "moved", "older").tag("team/app", "extra", "x");

        Plan plan = plan(policy(source("team/app"), to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:moved", "mirror team/app:new");
        assertThat(plan.upToDate()).isEqualTo(1);
        assertThat(plan.jobs())
                .extracting(PlannedJob::sourceDigest)
                .containsExactly(
                        FakeRegistry.digestOf("two").toString(),
                        FakeRegistry.digestOf("three").toString());
    }

    @Test
    void eachTargetIsComparedOnItsOwn() throws Exception {
        hub.tag("team/app", "v1", "one");
        mirror.tag("team/app", "v1", "one");

        Plan plan = plan(policy(source("team/app"), to("mirror"), to("backup")));

        assertThat(planned(plan)).containsExactly("backup team/app:v1");
        assertThat(plan.upToDate()).isEqualTo(1);
    }

    @Test
    void thePrefixNamesTheTargetRepositoryAndTheSpecCarriesWhatToCopy() throws Exception {
        hub.tag("team/app", "v1", "one");
        mirror.tag("mirror/team/app", "v1", "older");

        Plan plan = plan(policy(source("team/app"), new TargetSpec("mirror", "mirror/")));

        PlannedJob job = plan.jobs().get(0);
        String digest = FakeRegistry.digestOf("one").toString();
        assertThat(planned(plan)).containsExactly("mirror mirror/team/app:v1");
        assertThat(mirror.heads).containsExactly("mirror/team/app:v1");
        assertThat(job.id()).isEqualTo(JobIds.of("apps", "mirror", "mirror/team/app", "v1"));
        assertThat(job.tier()).isEqualTo("high");
        assertThat(job.sourceDigest()).isEqualTo(digest);
        assertThat(job.spec())
                .isEqualTo(new JobSpec(
                        "apps",
                        "run-1",
                        "high",
                        new Endpoint("hub", "https://hub.example", "team/app", digest, null, limitsOf("hub")),
                        new Endpoint(
                                "mirror",
                                "https://mirror.example:5443",
                                "mirror/team/app",
                                "v1",
                                new CredentialsRef("ci", "MIRROR_PASSWORD", null, null),
                                limitsOf("mirror")),
                        List.of("linux/amd64"),
                        true));
        assertThat(job.spec().target().limits().retry().maxAttempts()).isEqualTo(5);
    }

    private Limits limitsOf(String registry) {
        return JobSpecs.limits(configs.stream()
                .filter(c -> c.name().equals(registry))
                .findFirst()
                .orElseThrow());
    }

    @Test
    void planningTwiceGivesTheSameJobs() throws Exception {
        hub.tags("team/app", "a", "v1", "v2").tags("team/api", "b", "v1");

        Plan first = plan(policy(source("team/*"), to("mirror")));
        Plan second = plan(policy(source("team/*"), to("mirror")));

        assertThat(second.jobs()).isEqualTo(first.jobs());
        assertThat(first.jobs())
                .extracting(PlannedJob::id)
                .doesNotHaveDuplicates()
                .hasSize(3);
    }

    @Test
    void aFailingRepositoryIsRecordedAndTheOthersArePlanned() throws Exception {
        hub.tags("team/app", "a", "v1").tags("team/bad", "b", "v1", "v2").tags("team/web", "c", "v1");
        hub.failingRepositories.add("team/bad");

        Plan plan = plan(policy(source("team/*"), to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:v1", "mirror team/web:v1");
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .startsWith("source hub team/bad: ")
                .contains("HTTP 500");
        assertThat(plan.complete()).isFalse();
    }

    @Test
    void aRepositoryWhoseAnswerStallsFailsAloneAndTheRegistrysOtherRepositoriesArePlanned() throws Exception {
        hub.tags("team/app", "a", "v1").tags("team/slow", "b", "v1").tags("team/web", "c", "v1");
        hub.stallingRepositories.add("team/slow");

        Plan plan = plan(policy(source("team/*"), to("mirror")), 1);

        assertThat(planned(plan)).containsExactly("mirror team/app:v1", "mirror team/web:v1");
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .startsWith("source hub team/slow: ")
                .contains("(idle timeout)");
    }

    @Test
    void aTargetErrorSpoilsOnlyThatTargetAndRepository() throws Exception {
        hub.tags("team/app", "a", "v1").tags("team/web", "c", "v1");
        mirror.failingRepositories.add("team/app");

        Plan plan = plan(policy(source("team/*"), to("mirror"), to("backup")));

        assertThat(planned(plan)).containsExactly("backup team/app:v1", "mirror team/web:v1", "backup team/web:v1");
        assertThat(plan.errors()).singleElement().asString().startsWith("target mirror team/app:v1: ");
    }

    @Test
    void aTagDeletedBetweenListingAndHeadIsSkippedQuietly() throws Exception {
        hub.tags("team/app", "a", "v1", "v2", "v3");
        hub.vanished.add("team/app:v2");

        Plan plan = plan(policy(source("team/app"), to("mirror")));

        assertThat(planned(plan)).containsExactly("mirror team/app:v1", "mirror team/app:v3");
        assertThat(plan.errors()).isEmpty();
        assertThat(mirror.heads).doesNotContain("team/app:v2");
    }

    @Test
    void digestsAreComparedWithHeadAndNoManifestIsFetched() throws Exception {
        hub.tags("team/app", "a", "v1", "v2").tags("team/api", "b", "v1");
        mirror.tag("team/app", "v1", "av1");

        Plan plan = plan(policy(source("team/*"), to("mirror")));

        assertThat(plan.jobs()).hasSize(2);
        assertThat(hub.manifestGets).hasValue(0);
        assertThat(mirror.manifestGets).hasValue(0);
        assertThat(hub.heads).hasSize(3);
        assertThat(mirror.tagLists).as("one list per target repository").hasValue(2);
        assertThat(mirror.heads)
                .as("only the listed tag is asked for: team/app has no v2, team/api does not exist")
                .containsExactly("team/app:v1");
    }

    @Test
    void registryCallsAreBoundedPerRegistry() throws Exception {
        String[] tags = IntStream.range(0, 40).mapToObj(i -> "v" + i).toArray(String[]::new);
        hub.tags("team/app", "a", tags).tags("team/api", "b", tags);
        // Listed at the target with other content: each tag gets its HEAD, and a job.
        mirror.tags("team/app", "old-a", tags).tags("team/api", "old-b", tags);
        hub.delayMillis = 3;
        mirror.delayMillis = 3;

        Plan plan = plan(policy(source("team/*"), to("mirror")), 3);

        assertThat(plan.jobs()).hasSize(80);
        assertThat(hub.maxInFlight.get()).isEqualTo(3);
        assertThat(mirror.maxInFlight.get()).isEqualTo(3);
    }

    @Test
    void aRegistrysMaxConcurrencyLowersTheBound() throws Exception {
        configs.set(1, registry("mirror", "https://mirror.example", null, 2));
        String[] tags = IntStream.range(0, 30).mapToObj(i -> "v" + i).toArray(String[]::new);
        hub.tags("team/app", "a", tags);
        mirror.tags("team/app", "old", tags);
        hub.delayMillis = 2;
        mirror.delayMillis = 2;

        Plan plan = plan(policy(source("team/app"), to("mirror")));

        assertThat(plan.jobs()).hasSize(30);
        assertThat(hub.maxInFlight.get()).isGreaterThan(2).isLessThanOrEqualTo(Planner.DEFAULT_CALLS_PER_REGISTRY);
        assertThat(mirror.maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void aRegistryThatGivesNoResponseIsNotAskedAgainInThePlanAndErrorsAreCapped() throws Exception {
        hub.tags("team/app", "a", IntStream.range(0, 150).mapToObj(i -> "v" + i).toArray(String[]::new));
        mirror.down = true;

        Plan plan = plan(policy(source("team/app"), to("mirror"), to("backup")), 1);

        assertThat(plan.jobs()).hasSize(150).allMatch(j -> j.targetRegistry().equals("backup"));
        assertThat(mirror.tagLists)
                .as("its tag list, refused, is the only call")
                .hasValue(1);
        assertThat(mirror.heads).isEmpty();
        assertThat(plan.errors()).hasSize(Plan.MAX_ERRORS + 1);
        assertThat(plan.errors().get(0))
                .contains("skipped: registry mirror gave no response")
                .as("each line names the first error")
                .contains("Connection refused");
        assertThat(plan.errors().get(Plan.MAX_ERRORS)).isEqualTo("... and 50 more errors");
    }

    @Test
    void aCatalogFailureIsRecordedAsThePlansError() throws Exception {
        hub.tags("team/app", "a", "v1");
        registries.catalogFails = true;

        Plan plan = plan(policy(source("team/*"), to("mirror")));

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.errors()).containsExactly("source hub: list catalog: HTTP 401, UNAUTHORIZED");
    }

    @Test
    void aTargetThatCannotBeOpenedIsSkippedAndTheOthersArePlanned() throws Exception {
        hub.tags("team/app", "a", "v1");
        registries.unopenable.put(
                "mirror",
                new IllegalStateException(
                        "registry mirror: environment variable MIRROR_PASSWORD (credentials.passwordEnv) is not set or empty"));

        Plan plan = plan(policy(source("team/app"), to("mirror"), to("backup")));

        assertThat(planned(plan)).containsExactly("backup team/app:v1");
        assertThat(plan.errors())
                .containsExactly("target mirror: registry mirror: environment variable"
                        + " MIRROR_PASSWORD (credentials.passwordEnv) is not set or empty");
    }

    @Test
    void anOciLayoutSourceIsOneUnnamedRepositoryNamedByTheTargetPrefix() throws Exception {
        FakeRegistry layout = new FakeRegistry(vertx).tags("", "l", "v1", "v2");
        registries.with("layout", layout);
        mirror.tag("imported", "v1", "lv1");

        Plan plan = plan(policy(
                new SourceSpec("layout", List.of("**"), List.of(), TagSpec.all()),
                new TargetSpec("mirror", "imported/")));

        assertThat(planned(plan)).containsExactly("mirror imported:v2");
        assertThat(plan.upToDate()).isEqualTo(1);
        assertThat(registries.catalogCalls).hasValue(0);
        assertThat(plan.jobs().get(0).spec().source())
                .isEqualTo(new Endpoint(
                        "layout",
                        "oci:/var/ferry/layout",
                        "",
                        FakeRegistry.digestOf("lv2").toString(),
                        null));
    }

    @Test
    void anOciLayoutSourceNeedsAPrefixToNameARegistryRepository() throws Exception {
        registries.with("layout", new FakeRegistry(vertx).tags("", "l", "v1"));

        Plan plan = plan(policy(
                new SourceSpec("layout", List.of("**"), List.of(), TagSpec.all()),
                to("mirror"),
                new TargetSpec("backup", "up/")));

        assertThat(planned(plan)).containsExactly("backup up:v1");
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .startsWith("target mirror: ")
                .contains("prefix");
    }

    @Test
    void repositoriesCopiedIntoOneOciLayoutAreReportedAsOverwritingEachOther() throws Exception {
        registries.with("layout", new FakeRegistry(vertx));
        hub.tags("team/app", "a", "v1", "v2").tags("team/api", "b", "v1");

        Plan plan = plan(policy(source("team/*"), to("layout")));

        assertThat(plan.jobs()).hasSize(3);
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .startsWith("target layout: tag v1 would be written from 2 repositories [team/api, team/app]");
    }

    @Test
    void aPolicyNamingAnUnknownRegistryFailsThePlan() {
        Policy policy = policy(source("team/app"), to("nowhere"));

        assertThatThrownBy(() -> plan(policy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nowhere");
    }
}
