package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keeps docs/openapi.yaml true to the router: same operations, declared parameters, valid refs. */
@ExtendWith(VertxExtension.class)
class OpenApiConsistencyTest {

    private static final Path OPENAPI = Path.of("..", "docs", "openapi.yaml");
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern ROUTER_PARAM = Pattern.compile(":([A-Za-z0-9_]+)");
    private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([^}]+)}");

    private JsonNode doc;
    private Router router;

    @BeforeEach
    void load(Vertx vertx) throws Exception {
        doc = new YAMLMapper().readTree(OPENAPI.toFile());
        router = new ControlApi(ApiHarness.fakes()).router(vertx);
    }

    @Test
    @DisplayName("the OpenAPI document describes exactly the routes the router serves")
    void sameOperations() {
        Set<String> routed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null) {
                continue; // the catch-all failure handler
            }
            assertThat(route.methods())
                    .as("route %s must name its methods", route.getPath())
                    .isNotEmpty();
            String path = ROUTER_PARAM.matcher(route.getPath()).replaceAll("{$1}");
            for (HttpMethod method : route.methods()) {
                routed.add(method.name() + " " + path);
            }
        }

        assertThat(documentedOperations()).isEqualTo(routed);
    }

    @Test
    @DisplayName("the document is OpenAPI 3.0.3 and every path template parameter is declared")
    void pathParametersDeclared() {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");
        doc.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                    if (!HTTP_METHODS.contains(op.getKey())) {
                        return;
                    }
                    Set<String> templated = new TreeSet<>();
                    Matcher m = TEMPLATE_PARAM.matcher(path.getKey());
                    while (m.find()) {
                        templated.add(m.group(1));
                    }
                    Set<String> declared = new TreeSet<>();
                    List<JsonNode> params = new ArrayList<>();
                    path.getValue().path("parameters").forEach(params::add);
                    op.getValue().path("parameters").forEach(params::add);
                    for (JsonNode p : params) {
                        JsonNode param = resolve(p);
                        if ("path".equals(param.path("in").asText())) {
                            assertThat(param.path("required").asBoolean())
                                    .as("%s %s", op.getKey(), path.getKey())
                                    .isTrue();
                            declared.add(param.path("name").asText());
                        }
                    }
                    assertThat(declared)
                            .as("path parameters of %s %s", op.getKey(), path.getKey())
                            .isEqualTo(templated);
                    assertThat(op.getValue().path("responses").size())
                            .as("responses of %s %s", op.getKey(), path.getKey())
                            .isPositive();
                }));
    }

    @Test
    @DisplayName("every $ref in the document points at something that exists")
    void refsResolve() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode())
                    .as("target of %s", ref)
                    .isFalse();
        }
    }

    @Test
    @DisplayName("the documented job states, tiers and limits are the ones the API accepts")
    void enumsMatch() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(texts(schemas.path("JobState").path("enum"))).isEqualTo(JobResource.STATES);
        assertThat(texts(schemas.path("Tier").path("enum"))).isEqualTo(JobResource.TIERS);
        assertThat(texts(schemas.path("Completion")
                        .path("properties")
                        .path("outcome")
                        .path("enum")))
                .isEqualTo(dev.ferry.coordinator.lease.LeaseChecks.OUTCOMES);
        JsonNode waitSeconds = schemas.path("LeaseRequest").path("properties").path("waitSeconds");
        assertThat(waitSeconds.path("maximum").asInt())
                .isEqualTo(dev.ferry.coordinator.lease.LeaseChecks.MAX_WAIT_SECONDS);
        JsonNode capacity = schemas.path("LeaseRequest").path("properties").path("capacity");
        assertThat(capacity.path("maximum").asInt()).isEqualTo(dev.ferry.coordinator.lease.LeaseChecks.MAX_CAPACITY);
    }

    private Set<String> documentedOperations() {
        Set<String> documented = new TreeSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(key -> {
                    if (HTTP_METHODS.contains(key)) {
                        documented.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return documented;
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
