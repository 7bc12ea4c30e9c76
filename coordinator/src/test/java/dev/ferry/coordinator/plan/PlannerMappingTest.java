package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.ApiConfig;
import dev.ferry.config.model.FailoverConfig;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.PinnedDigest;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.ReplacePrefix;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.SourceSpec;
import dev.ferry.config.model.TagSpec;
import dev.ferry.config.model.TagTemplate;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.model.Tier;
import dev.ferry.config.model.Trigger;
import dev.ferry.config.model.VerifySpec;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The planner maps repository names and tags, refuses collisions, and plans digests pinned in the source. */
@ExtendWith(VertxExtension.class)
class PlannerMappingTest {

    private Vertx vertx;
    private FakeRegistry hub;
    private FakeRegistry mirror;
    private FakeRegistries registries;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        hub = new FakeRegistry(vertx);
        mirror = new FakeRegistry(vertx);
        registries = new FakeRegistries().with("hub", hub).with("mirror", mirror);
    }

    private Plan plan(SourceSpec source, TargetSpec target) throws Exception {
        Schedule schedule = new Schedule(
                1,
                List.of(
                        new RegistryConfig("hub", "https://hub.example", "default", false, null, null, null),
                        new RegistryConfig("mirror", "https://mirror.example", "default", false, null, null, null)),
                List.of(),
                List.of(),
                List.of(),
                FailoverConfig.defaults(),
                ApiConfig.defaults(),
                dev.ferry.config.model.ClusterConfig.defaults(),
                Path.of("."));
        Policy policy = new Policy(
                "flatten",
                source,
                List.of(target),
                Trigger.manualOnly(),
                Tier.HIGH,
                OnConflict.FAIL,
                List.of(),
                List.of(),
                false,
                VerifySpec.none(),
                OnDrift.REPORT,
                false);
        return Await.result(new Planner(vertx, schedule, registries, registry -> null).plan(policy, "run-1"));
    }

    private static SourceSpec source(String... globs) {
        return new SourceSpec("hub", List.of(globs), List.of(), TagSpec.all());
    }

    private static List<String> planned(Plan plan) {
        return plan.jobs().stream()
                .map(j -> j.targetRepository() + ":" + j.tag() + " <- "
                        + j.spec().source().repository() + "@"
                        + j.spec().source().reference().substring(0, 13)
                        + " as " + j.spec().target().reference())
                .toList();
    }

    @Test
    void strippedAndReplacedNamesAreWhereJobsWrite() throws Exception {
        hub.tags("team/a/b/app", "x", "v1").tags("library/nginx", "y", "1.25");

        Plan stripped = plan(source("team/**"), new TargetSpec("mirror", "", null, 3, null, null));
        Plan replaced = plan(
                source("library/*"),
                new TargetSpec("mirror", "", null, 0, new ReplacePrefix("library/", "mirror/"), null));

        assertThat(stripped.jobs()).singleElement().satisfies(j -> {
            assertThat(j.targetRepository()).isEqualTo("app");
            assertThat(j.spec().target().repository()).isEqualTo("app");
            assertThat(j.spec().source().repository()).isEqualTo("team/a/b/app");
        });
        assertThat(replaced.jobs())
                .singleElement()
                .satisfies(j -> assertThat(j.targetRepository()).isEqualTo("mirror/nginx"));
    }

    @Test
    void twoFoundRepositoriesLandingOnOneTargetFailThePolicysPlan() throws Exception {
        hub.tags("team-a/app", "x", "v1").tags("team-b/app", "y", "v1").tags("team-b/web", "z", "v1");

        Plan plan = plan(source("*/*"), new TargetSpec("mirror", "", null, 1, null, null));

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.errors())
                .containsExactly(
                        "target mirror: source repositories team-a/app and team-b/app would"
                                + " both be written to app; nothing of policy flatten is planned until the mapping tells them apart");
        assertThat(hub.heads)
                .as("nothing is looked at once the mapping collides")
                .isEmpty();
    }

    @Test
    void aRepositoryTheMappingCannotTakeIsAnErrorLineAndTheOthersArePlanned() throws Exception {
        hub.tags("app", "x", "v1").tags("team/web", "y", "v1");

        Plan plan = plan(source("**"), new TargetSpec("mirror", "", null, 1, null, null));

        assertThat(plan.jobs()).extracting(PlannedJob::targetRepository).containsExactly("web");
        assertThat(plan.errors())
                .containsExactly(
                        "target mirror for hub app:v1: stripSegments: 1 leaves nothing of" + " \"app\" (1 segment)");
    }

    @Test
    void aTagTemplateNamesTheTargetTagWhichIsWhatThePlanComparesAndTheJobWrites() throws Exception {
        hub.tag("team/app", "v1", "one").tag("team/app", "v2", "two").tag("team/app", "x".repeat(127), "three");
        mirror.tag("team/app", "v1-m", "one").tag("team/app", "v2", "two");

        Plan plan = plan(source("team/app"), new TargetSpec("mirror", "", null, 0, null, new TagTemplate("", "-m")));

        assertThat(plan.upToDate()).as("v1-m holds v1's digest").isEqualTo(1);
        assertThat(plan.jobs()).singleElement().satisfies(j -> {
            assertThat(j.tag()).isEqualTo("v2-m");
            assertThat(j.spec().target().reference()).isEqualTo("v2-m");
            assertThat(j.spec().source().reference())
                    .isEqualTo(FakeRegistry.digestOf("two").toString());
            assertThat(j.id()).isEqualTo(JobIds.of("flatten", "mirror", "team/app", "v2-m"));
        });
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .endsWith("tag template \"{tag}-m\" makes a tag of 129" + " characters from \"" + "x".repeat(127)
                        + "\"; a tag has at most 128");
    }

    @Test
    void pinnedDigestsArePlannedByDigestOrUnderTheirTagAndAMissingOneIsAnError() throws Exception {
        String one = FakeRegistry.digestOf("one").toString();
        String two = FakeRegistry.digestOf("two").toString();
        String gone = FakeRegistry.digestOf("gone").toString();
        // The fake answers a HEAD by digest for a "tag" named after the digest.
        hub.tag("base/alpine", one, "one").tag("base/alpine", two, "two").tag("base/alpine", "latest", "three");
        mirror.tag("base/alpine", "pinned", "two");
        SourceSpec digestsOnly = new SourceSpec(
                "hub",
                List.of("base/alpine"),
                List.of(),
                null,
                List.of(new PinnedDigest(one, null), new PinnedDigest(two, "pinned"), new PinnedDigest(gone, null)));

        Plan plan = plan(digestsOnly, new TargetSpec("mirror", "", null, 0, null, new TagTemplate("", "-m")));

        assertThat(plan.jobs()).singleElement().satisfies(j -> {
            assertThat(j.spec().target().reference())
                    .as("by digest, under no tag")
                    .isEqualTo(one);
            assertThat(j.spec().source().reference()).isEqualTo(one);
        });
        assertThat(plan.upToDate())
                .as("pinned already holds two; the template does not apply to it")
                .isEqualTo(1);
        assertThat(plan.errors())
                .containsExactly("source hub base/alpine: has no manifest " + gone + " (pinned in source.digests)");
        assertThat(hub.heads).as("no tag is listed or looked at").doesNotContain("base/alpine:latest");
    }
}
