package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.secret.SecretResolver;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.TestImages;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that do not list repositories, as Docker Hub, GHCR and ECR do not: a proxy in
 * front of a real registry refuses {@code /v2/_catalog}.
 */
@ExtendWith(VertxExtension.class)
class CatalogRefusalIT {

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    @TempDir
    Path dir;

    private Vertx vertx;
    private FaultProxy proxy;
    private RegistryStores stores;

    @BeforeAll
    static void seed() throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("team/app", "v1", 51, 100);
    }

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        proxy = FaultProxy.start(source.host());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stores != null) {
            Await.result(stores.close());
        }
        proxy.close();
    }

    private Plan plan(String repositories) throws Exception {
        Schedule schedule = ScheduleLoader.parse("t.yaml", """
        version: 1
        registries:
          - { name: private-hub, url: "%s", insecure: true }
          - { name: dst, url: "%s", insecure: true }
        policies:
          - name: p
            source: { registry: private-hub, repositories: %s }
            targets: [ { registry: dst, prefix: "m/" } ]
            trigger: { manual: true }
        """.formatted(proxy.url(), target.url(), repositories), dir);
        stores = new RegistryStores(
                vertx,
                schedule,
                new SecretResolver(name -> null, dir),
                name -> dev.ferry.common.transport.RequestObserver.NONE);
        return Await.result(new Planner(vertx, schedule, stores, registry -> null)
                .plan(schedule.policies().get(0), "run-1"));
    }

    @Test
    void aLiteralRepositoryNeverTouchesTheCatalog() throws Exception {
        var mark = source.registry().mark();

        Plan plan = plan("[team/app]");

        assertThat(plan.errors()).isEmpty();
        assertThat(plan.jobs()).extracting(PlannedJob::tag).containsExactly("v1");
        assertThat(source.registry().requestsSince(mark, "GET", "/v2/_catalog.*"))
                .isEmpty();
        assertThat(proxy.requests("GET", "/v2/_catalog")).isEmpty();
        assertThat(source.registry().requestsSince(mark, "GET", "/v2/team/app/tags/list.*"))
                .isNotEmpty();
    }

    @Test
    void aGlobOnARegistryWhoseCatalogIs404FailsThePlanNamingTheRegistryAndTheFix() throws Exception {
        proxy.on("GET", "/v2/_catalog").respond(404, null);

        Plan plan = plan("[\"team/*\"]");

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.errors())
                .containsExactly("source private-hub: registry private-hub does not list its"
                        + " repositories (GET /v2/_catalog answered 404), so the repository globs [team/*] cannot be expanded"
                        + " there: list the policy's repositories by name under source.repositories");
    }

    @Test
    void aCatalogKeptToAdminsWith401IsExplainedTheSameWay() throws Exception {
        proxy.on("GET", "/v2/_catalog")
                .answer(
                        401,
                        Map.of("WWW-Authenticate", "Basic realm=\"admins\""),
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"admins only\"}]}");

        Plan plan = plan("[\"team/*\", \"base/**\"]");

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.errors())
                .singleElement()
                .asString()
                .contains("registry private-hub does not list its repositories (GET /v2/_catalog answered 401)")
                .contains("[team/*, base/**]")
                .contains("list the policy's repositories by name");
    }
}
