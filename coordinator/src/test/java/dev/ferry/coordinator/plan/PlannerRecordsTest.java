package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The planner with Ferry's records of target tags: which tags still get a HEAD at the target. */
@ExtendWith(VertxExtension.class)
class PlannerRecordsTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private Vertx vertx;
    private FakeRegistry hub;
    private FakeRegistry mirror;
    private Records records;

    /** In-memory records, counting reads and writes. */
    static final class Records implements KnownTags {
        final Map<String, KnownTag> byKey = Collections.synchronizedMap(new HashMap<>());
        final List<Map<String, String>> writes = Collections.synchronizedList(new ArrayList<>());
        volatile int reads;
        volatile boolean failing;

        void put(String repository, String tag, String content, long at) {
            byKey.put(
                    repository + ":" + tag,
                    new KnownTag(FakeRegistry.digestOf(content).toString(), at));
        }

        @Override
        public Future<Map<String, KnownTag>> of(String registry, String repository, Set<String> tags) {
            reads++;
            if (failing) {
                return Future.failedFuture(new IllegalStateException("cluster busy"));
            }
            Map<String, KnownTag> found = new HashMap<>();
            tags.forEach(t -> {
                KnownTag k = byKey.get(repository + ":" + t);
                if (k != null) {
                    found.put(t, k);
                }
            });
            return Future.succeededFuture(found);
        }

        @Override
        public Future<Void> saw(String registry, String repository, Map<String, String> digests, long at) {
            writes.add(digests);
            digests.forEach((t, d) -> byKey.put(repository + ":" + t, new KnownTag(d, at)));
            return Future.succeededFuture();
        }
    }

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        hub = new FakeRegistry(vertx);
        mirror = new FakeRegistry(vertx);
        records = new Records();
        hub.tags("team/app", "c-", "v1", "v2", "v3");
        mirror.tags("team/app", "c-", "v1", "v2", "v3");
    }

    /** @param recheck the target's recheck as written in YAML; null to leave it out */
    private Schedule schedule(String recheck) {
        return ScheduleLoader.parse(
                "t.yaml", """
                version: 1
                registries:
                  - { name: hub, url: "https://hub.example" }
                  - { name: mirror, url: "https://mirror.example" }
                policies:
                  - name: apps
                    source: { registry: hub, repositories: [team/app] }
                    targets: [ { registry: mirror%s } ]
                    trigger: { manual: true }
                """.formatted(recheck == null ? "" : ", recheck: " + recheck), Path.of("."));
    }

    private Planner planner(Schedule schedule) {
        return new Planner(
                vertx,
                schedule,
                new FakeRegistries().with("hub", hub).with("mirror", mirror),
                Planner.DEFAULT_CALLS_PER_REGISTRY,
                registry -> null,
                records,
                CLOCK);
    }

    private Plan plan(String recheck) throws Exception {
        Schedule schedule = schedule(recheck);
        return Await.result(planner(schedule).plan(schedule.policies().get(0), "run-1"));
    }

    private void recordAll(long at) {
        for (String tag : List.of("v1", "v2", "v3")) {
            records.put("team/app", tag, "c-" + tag, at);
        }
    }

    private static List<String> planned(Plan plan) {
        return plan.jobs().stream().map(PlannedJob::tag).toList();
    }

    @Test
    void freshRecordsOfTheSourceDigestsSendNoHeadToTheTargetOnlyOneTagList() throws Exception {
        recordAll(NOW - 60_000);

        Plan plan = plan(null);

        assertThat(mirror.heads).isEmpty();
        assertThat(mirror.tagLists.get()).isEqualTo(1);
        assertThat(records.reads).as("one read per target repository").isEqualTo(1);
        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.upToDate()).isEqualTo(3);
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(3, 0, 0));
        assertThat(records.writes).as("nothing to renew").isEmpty();
    }

    @Test
    void aSourceThatMovedOnIsAskedForAtTheTargetAndPlanned() throws Exception {
        recordAll(NOW - 60_000);
        hub.tag("team/app", "v2", "newer");

        Plan plan = plan(null);

        assertThat(mirror.heads).containsExactly("team/app:v2");
        assertThat(planned(plan)).containsExactly("v2");
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(2, 1, 0));
    }

    @Test
    void aTagDeletedAtTheTargetIsMissingFromItsListAndIsCopiedAgain() throws Exception {
        recordAll(NOW - 60_000);
        mirror.untag("team/app", "v3");

        Plan plan = plan(null);

        assertThat(mirror.heads).as("the list says it is gone: no HEAD needed").isEmpty();
        assertThat(planned(plan)).containsExactly("v3");
        assertThat(plan.upToDate()).isEqualTo(2);
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(2, 0, 1));
    }

    @Test
    void aFirstSyncToAnEmptyTargetReadsOneTagListAndSendsNoHead() throws Exception {
        FakeRegistry empty = new FakeRegistry(vertx);
        mirror = empty; // no repository at all: its tag list answers 404 NAME_UNKNOWN

        Plan plan = plan(null);

        assertThat(empty.tagLists.get()).isEqualTo(1);
        assertThat(empty.heads).isEmpty();
        assertThat(planned(plan)).containsExactlyInAnyOrder("v1", "v2", "v3");
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(0, 0, 3));
        assertThat(records.writes).isEmpty();
    }

    @Test
    void aListedTagWithoutARecordIsAskedForAndAnUnlistedOneIsNot() throws Exception {
        mirror.untag("team/app", "v2");
        mirror.untag("team/app", "v3");

        Plan plan = plan(null);

        assertThat(mirror.heads).containsExactly("team/app:v1");
        assertThat(planned(plan)).containsExactlyInAnyOrder("v2", "v3");
        assertThat(plan.upToDate()).isEqualTo(1);
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(0, 1, 2));
    }

    @Test
    void expiredRecordsAreCheckedWithAHeadAndRenewedInOneWrite() throws Exception {
        recordAll(NOW - Duration.ofHours(2).toMillis());

        Plan plan = plan(null);

        assertThat(mirror.heads).hasSize(3);
        assertThat(mirror.tagLists.get()).as("one list: it has every tag").isEqualTo(1);
        assertThat(plan.upToDate()).isEqualTo(3);
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(0, 3, 0));
        assertThat(records.writes).hasSize(1);
        assertThat(records.writes.get(0)).containsOnlyKeys("v1", "v2", "v3");
        assertThat(records.byKey.get("team/app:v1").at()).isEqualTo(NOW);

        mirror.heads.clear();
        Plan again = plan(null);
        assertThat(mirror.heads)
                .as("renewed records stand in for the next plan's HEADs")
                .isEmpty();
        assertThat(again.lookups()).isEqualTo(new Plan.Lookups(3, 0, 0));
    }

    @Test
    void withoutARecordEveryTagIsAskedForAndAMatchIsRecorded() throws Exception {
        mirror.tag("team/app", "v1", "someone-else");

        Plan plan = plan(null);

        assertThat(mirror.heads).hasSize(3);
        assertThat(planned(plan)).containsExactly("v1");
        assertThat(records.writes).hasSize(1);
        assertThat(records.writes.get(0))
                .as("only the tags found holding the source digest")
                .containsOnlyKeys("v2", "v3");
    }

    @Test
    void aRecheckOfZeroAsksForEveryTagEveryTimeAndKeepsNoRecords() throws Exception {
        recordAll(NOW - 1);

        Plan plan = plan("0");

        assertThat(mirror.heads).hasSize(3);
        assertThat(mirror.tagLists.get()).isZero();
        assertThat(records.reads).isZero();
        assertThat(records.writes).isEmpty();
        assertThat(plan.lookups()).isEqualTo(new Plan.Lookups(0, 3, 0));
    }

    @Test
    void aPreviewAsksTheTargetWhateverTheRecordsSay() throws Exception {
        recordAll(NOW - 1);

        Schedule schedule = schedule(null);
        Plan preview =
                Await.result(planner(schedule).preview(schedule.policies().get(0), "preview"));

        assertThat(mirror.heads).hasSize(3);
        assertThat(preview.checks()).hasSize(3);
        assertThat(records.writes).as("a preview writes nothing").isEmpty();
    }

    @Test
    void recordsThatCannotBeReadOrATagListThatFailsMeanAHeadPerTag() throws Exception {
        records.failing = true;
        Plan unread = plan(null);
        assertThat(mirror.heads).hasSize(3);
        assertThat(unread.upToDate()).isEqualTo(3);
        assertThat(unread.errors()).isEmpty();

        records.failing = false;
        recordAll(NOW - 1);
        mirror.heads.clear();
        mirror.failingRepositories.add("team/app");
        int listsBefore = mirror.tagLists.get();
        Plan unlisted = plan(null);
        assertThat(mirror.tagLists.get() - listsBefore).isEqualTo(1);
        assertThat(mirror.heads).as("the list failed: each tag is asked for").hasSize(3);
        assertThat(unlisted.errors()).hasSize(3); // the HEADs fail too: the repository fails at the target
    }
}
