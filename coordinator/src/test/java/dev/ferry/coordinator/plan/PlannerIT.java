package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import dev.ferry.worker.copy.CopyOptions;
import dev.ferry.worker.copy.CopyProgress;
import dev.ferry.worker.copy.CopyResult;
import dev.ferry.worker.copy.ImageCopier;
import dev.ferry.worker.copy.ImageLocation;
import dev.ferry.worker.copy.KnownBlobs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The planner against real distribution registries, with schedules parsed from YAML. */
@ExtendWith(VertxExtension.class)
class PlannerIT {

    static final String USER = "ci";
    static final String PASSWORD = "plan-Secret-5e2b90";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension locked = RegistryExtension.basicAuth(USER, PASSWORD);

    @TempDir
    Path dir;

    private final Skopeo skopeo = new Skopeo();
    private final List<RegistryStores> opened = new ArrayList<>();
    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RegistryStores stores : opened) {
            Await.result(stores.close());
        }
    }

    private Schedule schedule(String policy) {
        String yaml = """
        version: 1
        registries:
          - { name: src, url: "%s", insecure: true }
          - { name: dst, url: "%s", insecure: true }
          - name: locked
            url: "%s"
            insecure: true
            credentials: { username: %s, passwordFile: secret.txt }
          - { name: layout, url: "oci:layout" }
        policies:
        %s
        """.formatted(source.url(), target.url(), locked.url(), USER, policy.indent(2));
        return ScheduleLoader.parse("t.yaml", yaml, dir);
    }

    private RegistryStores stores(Schedule schedule) {
        RegistryStores stores = new RegistryStores(
                vertx,
                schedule,
                new SecretResolver(name -> null, dir),
                name -> dev.ferry.common.transport.RequestObserver.NONE);
        opened.add(stores);
        return stores;
    }

    private Plan plan(Schedule schedule, RegistryStores stores, String runId) throws Exception {
        return Await.result(new Planner(vertx, schedule, stores, registry -> null)
                .plan(schedule.policies().get(0), runId));
    }

    /** Runs a job the way a worker would: source by the planned digest, target by tag. */
    private CopyResult copy(RegistryStores stores, PlannedJob job) throws Exception {
        Endpoint from = job.spec().source();
        Endpoint to = job.spec().target();
        ImageLocation source = new ImageLocation(
                Await.result(stores.store(from.registry())), from.url(), from.repository(), from.reference());
        ImageLocation target =
                new ImageLocation(Await.result(stores.store(to.registry())), to.url(), to.repository(), to.reference());
        return Await.result(ImageCopier.builder(vertx, CopyOptions.defaults(), new KnownBlobs(100))
                .build()
                .copy(source, target, new CopyProgress()));
    }

    private static List<String> planned(Plan plan) {
        return plan.jobs().stream()
                .map(j -> j.targetRegistry() + " " + j.targetRepository() + ":" + j.tag())
                .toList();
    }

    @Test
    void theCatalogAndGlobsChooseRepositoriesAndAfterCopyingNothingIsLeftToDo() throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        SeededImage app = images.pushOciImage("sel/team/app", "v1", 1, 1000);
        SeededImage api = images.pushOciImage("sel/team/api", "v1", 2, 1000);
        images.pushOciImage("sel/team/legacy", "v1", 3, 1000);
        images.pushOciImage("sel/other/app", "v1", 4, 1000);
        Schedule schedule = schedule("""
        - name: sel
          source: { registry: src, repositories: ["sel/team/*"], exclude: ["sel/team/leg*"] }
          targets: [ { registry: dst, prefix: mirror/ } ]
          trigger: { manual: true }
        """);
        RegistryStores stores = stores(schedule);

        Plan first = plan(schedule, stores, "run-1");
        for (PlannedJob job : first.jobs()) {
            assertThat(copy(stores, job).upToDate()).isFalse();
        }
        Plan second = plan(schedule, stores, "run-2");

        assertThat(first.errors()).isEmpty();
        assertThat(planned(first))
                .containsExactlyInAnyOrder("dst mirror/sel/team/app:v1", "dst mirror/sel/team/api:v1");
        assertThat(first.jobs())
                .extracting(PlannedJob::sourceDigest)
                .containsExactlyInAnyOrder(app.digest(), api.digest());
        assertThat(first.jobs().get(0).spec().source().url()).isEqualTo(source.url());
        assertThat(skopeo.manifestDigest(target.host() + "/mirror/sel/team/app:v1"))
                .isEqualTo(app.digest());
        assertThat(second.jobs()).isEmpty();
        assertThat(second.upToDate()).isEqualTo(2);
        assertThat(second.errors()).isEmpty();
    }

    @Test
    void tagFiltersPickTheTagsAndATagAlreadyCopiedWithSkopeoIsUpToDate() throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("tags/app", "v1.0.0", 10, 500);
        SeededImage v12 = images.pushOciImage("tags/app", "v1.2.0", 11, 500);
        images.pushOciImage("tags/app", "v1.3.0-rc1", 12, 500);
        images.pushOciImage("tags/app", "v2.0.0", 13, 500);
        images.pushOciImage("tags/app", "dev", 14, 500);
        skopeo.copy(source.host() + "/tags/app:v2.0.0", target.host() + "/tags/app:v2.0.0");
        Schedule schedule = schedule("""
        - name: tags
          source:
            registry: src
            repositories: ["tags/app"]
            tags: { include: ["v.*"], exclude: [".*-rc\\\\d+"], semver: ">=1.1", latest: 2 }
          targets: [ { registry: dst } ]
          trigger: { manual: true }
        """);

        Plan plan = plan(schedule, stores(schedule), "run-1");

        assertThat(plan.errors()).isEmpty();
        assertThat(planned(plan)).containsExactly("dst tags/app:v1.2.0");
        assertThat(plan.jobs().get(0).sourceDigest()).isEqualTo(v12.digest());
        assertThat(plan.upToDate()).isEqualTo(1);
    }

    @Test
    void aPasswordFileIsReadWhenTheTargetIsFirstUsedAndTheSpecOnlyNamesIt() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("creds/app", "v1", 20, 800);
        Schedule schedule = schedule("""
        - name: creds
          source: { registry: src, repositories: ["creds/app"] }
          targets: [ { registry: locked } ]
          trigger: { manual: true }
        """);
        RegistryStores stores = stores(schedule);

        Plan withoutSecret = plan(schedule, stores, "run-1");
        Files.writeString(dir.resolve("secret.txt"), PASSWORD + "\n");
        Plan withSecret = plan(schedule, stores, "run-2");
        copy(stores, withSecret.jobs().get(0));
        Plan afterCopy = plan(schedule, stores, "run-3");

        assertThat(withoutSecret.jobs()).isEmpty();
        assertThat(withoutSecret.errors())
                .singleElement()
                .asString()
                .startsWith("target locked: ")
                .contains("passwordFile");
        assertThat(withSecret.errors()).isEmpty();
        assertThat(planned(withSecret)).containsExactly("locked creds/app:v1");
        assertThat(withSecret.jobs().get(0).spec().target().credentials())
                .isEqualTo(new CredentialsRef(
                        USER,
                        null,
                        dir.resolve("secret.txt").toAbsolutePath().normalize().toString(),
                        null));
        assertThat(withSecret.toString()).doesNotContain(PASSWORD);
        assertThat(afterCopy.jobs()).isEmpty();
        assertThat(afterCopy.upToDate()).isEqualTo(1);
        assertThat(skopeo.withCreds(USER, PASSWORD).manifestDigest(locked.host() + "/creds/app:v1"))
                .isEqualTo(image.digest());
    }

    @Test
    void anOciLayoutTargetIsPlannedAndUpToDateOnceCopied() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("export/app", "v1", 30, 700);
        Schedule schedule = schedule("""
        - name: export
          source: { registry: src, repositories: ["export/app"] }
          targets: [ { registry: layout } ]
          trigger: { manual: true }
        """);
        RegistryStores stores = stores(schedule);

        Plan first = plan(schedule, stores, "run-1");
        copy(stores, first.jobs().get(0));
        Plan second = plan(schedule, stores, "run-2");

        assertThat(first.errors()).isEmpty();
        assertThat(planned(first)).containsExactly("layout export/app:v1");
        assertThat(first.jobs().get(0).spec().target().url()).isEqualTo("oci:" + dir.resolve("layout"));
        assertThat(skopeo.manifestDigest("oci:" + dir.resolve("layout") + ":v1"))
                .isEqualTo(image.digest());
        assertThat(second.jobs()).isEmpty();
        assertThat(second.upToDate()).isEqualTo(1);
    }

    @Test
    void anOciLayoutSourceIsImportedUnderTheTargetPrefix() throws Exception {
        SeededImage image = TestImages.offline()
                .writeOciLayout(dir.resolve("layout"), "v7", dev.ferry.testing.ImageSpec.oci(40, 600));
        Schedule schedule = schedule("""
        - name: import
          source: { registry: layout, repositories: ["**"] }
          targets: [ { registry: dst, prefix: imported/ } ]
          trigger: { manual: true }
        """);
        RegistryStores stores = stores(schedule);

        Plan first = plan(schedule, stores, "run-1");
        copy(stores, first.jobs().get(0));
        Plan second = plan(schedule, stores, "run-2");

        assertThat(first.errors()).isEmpty();
        assertThat(planned(first)).containsExactly("dst imported:v7");
        assertThat(first.jobs().get(0).spec().source().repository()).isEmpty();
        assertThat(skopeo.manifestDigest(target.host() + "/imported:v7")).isEqualTo(image.digest());
        assertThat(second.jobs()).isEmpty();
        assertThat(second.upToDate()).isEqualTo(1);
    }
}
