package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.preview.PolicyPreview;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PlanApiTest {

    private static final PolicyPreview PREVIEW = new PolicyPreview(
            "apps",
            "backup",
            List.of(new PolicyPreview.TargetPreview(
                    "mirror",
                    List.of(new PolicyPreview.TagLine("team/app", "m/team/app", "v2", "sha256:s", null)),
                    List.of(),
                    List.of(new PolicyPreview.Conflict(
                            new PolicyPreview.TagLine("team/app", "m/team/app", "v1", "sha256:s1", "sha256:t1"),
                            null,
                            "backup",
                            "someone else wrote this tag")),
                    List.of("mirror/m/team/app:old"),
                    List.of())),
            List.of(new PolicyPreview.LinkTransfer("eu", "us", 4096, 2, 1024L, 4L)),
            List.of("a warning"),
            List.of());

    @Test
    void thePlanOfAPolicyIsItsPreviewAsJsonAndAnUnknownPolicyIsA404(Vertx vertx) throws Exception {
        ApiServices fakes = ApiHarness.fakes();
        ApiHarness api = ApiHarness.start(
                vertx,
                new ApiServices(
                        fakes.status(),
                        fakes.runs(),
                        fakes.leases(),
                        fakes.history(),
                        fakes.links(),
                        fakes.health(),
                        fakes.events(),
                        fakes.metrics(),
                        name -> name.equals("apps")
                                ? Future.succeededFuture(PREVIEW)
                                : Future.failedFuture(ApiException.notFound("policy", name))));

        ApiHarness.Reply reply = api.post("/v1/policies/apps/plan", null);
        assertThat(reply.status()).isEqualTo(200);
        JsonObject target = reply.json().getJsonArray("targets").getJsonObject(0);
        assertThat(target.getJsonArray("copies").getJsonObject(0).getString("tag"))
                .isEqualTo("v2");
        assertThat(target.getJsonArray("conflicts").getJsonObject(0).getString("action"))
                .isEqualTo("backup");
        assertThat(target.getJsonArray("deletes").getString(0)).isEqualTo("mirror/m/team/app:old");
        assertThat(reply.json().getJsonArray("links").getJsonObject(0).getLong("estimatedSeconds"))
                .isEqualTo(4L);
        assertThat(reply.json().getJsonArray("warnings").getString(0)).isEqualTo("a warning");

        ApiHarness.Reply unknown = api.post("/v1/policies/nope/plan", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error().getString("message")).isEqualTo("policy \"nope\" not found");
    }
}
