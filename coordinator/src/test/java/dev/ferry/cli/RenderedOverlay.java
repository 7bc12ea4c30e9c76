package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The objects {@code kubectl kustomize} renders for one overlay. {@code FERRY_KUBECTL} names
 * another kubectl (e.g. Debian's 1.20, whose kustomize is v2.0.3).
 */
final class RenderedOverlay {

    static final Path K8S = Path.of("..", "k8s");

    private final String name;
    private final List<JsonNode> objects;

    private RenderedOverlay(String name, List<JsonNode> objects) {
        this.name = name;
        this.objects = objects;
    }

    static RenderedOverlay render(String overlay) throws Exception {
        String kubectl = System.getenv().getOrDefault("FERRY_KUBECTL", "kubectl");
        Process p = new ProcessBuilder(
                        kubectl,
                        "kustomize",
                        K8S.resolve("overlays").resolve(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("kubectl kustomize k8s/overlays/" + overlay)
                .isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (var docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            docs.forEachRemaining(d -> {
                if (d != null && !d.isEmpty()) {
                    objects.add(d);
                }
            });
        }
        return new RenderedOverlay(overlay, objects);
    }

    String name() {
        return name;
    }

    List<JsonNode> all(String kind) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .toList();
    }

    List<JsonNode> all(String kind, Predicate<JsonNode> test) {
        return all(kind).stream().filter(test).toList();
    }

    JsonNode one(String kind, String objectName) {
        List<JsonNode> found =
                all(kind, o -> o.path("metadata").path("name").asText().equals(objectName));
        assertThat(found).as("%s %s in overlay %s", kind, objectName, name).hasSize(1);
        return found.get(0);
    }

    static String component(JsonNode object) {
        return object.path("metadata")
                .path("labels")
                .path("app.kubernetes.io/component")
                .asText();
    }

    /** Workloads' first containers, by workload name. */
    Map<String, JsonNode> containers(String kind, String component) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode w : all(kind, o -> component(o).equals(component))) {
            JsonNode containers = w.path("spec").path("template").path("spec").path("containers");
            assertThat(containers).as(w.path("metadata").path("name").asText()).hasSize(1);
            out.put(w.path("metadata").path("name").asText(), containers.get(0));
        }
        return out;
    }
}
