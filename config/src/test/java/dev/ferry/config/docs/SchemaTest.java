package dev.ferry.config.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.config.load.Fields;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.ApiConfig;
import dev.ferry.config.model.FailoverConfig;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.units.Durations;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema editors use agrees with the loader's list of fields, accepts every shipped
 * example and refuses the documents in {@code src/test/resources/invalid/}.
 */
class SchemaTest {

    static final Path SCHEMA = Path.of("schema", "ferry-schedule.schema.json");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        schema = JSON.readTree(Files.readString(SCHEMA));
    }

    /** Read once, on first use, so other test classes can validate too. */
    private static final class Shared {
        static final Validator VALIDATOR;

        static {
            try {
                VALIDATOR = validatorFor(new JsonObject(Files.readString(SCHEMA)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Validator validatorFor(JsonObject schemaJson) {
        return Validator.create(
                JsonSchema.of(schemaJson),
                new JsonSchemaOptions()
                        .setDraft(Draft.DRAFT7)
                        .setBaseUri("https://ferry.invalid/schema/")
                        .setOutputFormat(OutputFormat.Basic));
    }

    /** Reads a YAML document and validates it as JSON, the way yaml-language-server does. */
    static OutputUnit validate(String yaml) throws IOException {
        JsonNode tree = YAML.readTree(yaml);
        return Shared.VALIDATOR.validate(new JsonObject(JSON.writeValueAsString(tree)));
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /** Section name to its schema object: the root for "schedule", else the definition of that name. */
    private static JsonNode sectionSchema(String section) {
        return section.equals("schedule") ? schema : schema.path("definitions").path(section);
    }

    private static List<String> propertyNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void isAValidDraft07Schema() throws IOException {
        JsonObject metaSchema;
        try (InputStream in = Validator.class.getClassLoader().getResourceAsStream("json-schema.org/draft-07/schema")) {
            assertThat(in)
                    .as("draft-07 meta-schema bundled with vertx-json-schema")
                    .isNotNull();
            metaSchema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        OutputUnit result = validatorFor(metaSchema).validate(new JsonObject(Files.readString(SCHEMA)));

        assertThat(result.getValid()).as("%s", result.getErrors()).isTrue();
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
    }

    @Test
    void eachSectionHasExactlyTheLoadersFieldsInTheSameOrder() {
        for (Map.Entry<String, List<String>> section : Fields.sections().entrySet()) {
            JsonNode object = sectionSchema(section.getKey());
            assertThat(object.isObject())
                    .as("schema definition for section %s", section.getKey())
                    .isTrue();
            assertThat(propertyNames(object))
                    .as("properties of section %s", section.getKey())
                    .containsExactlyElementsOf(section.getValue());
        }
    }

    @Test
    void everyDefinitionWithPropertiesIsASectionTheLoaderKnows() {
        List<String> withProperties = new ArrayList<>();
        schema.path("definitions").fields().forEachRemaining(e -> {
            if (e.getValue().has("properties")) {
                withProperties.add(e.getKey());
            }
        });

        assertThat(withProperties)
                .containsExactlyInAnyOrderElementsOf(Fields.sections().keySet().stream()
                        .filter(s -> !s.equals("schedule"))
                        .toList());
    }

    @Test
    void everySectionRefusesUnknownFieldsAndDescribesEveryField() {
        for (String section : Fields.sections().keySet()) {
            JsonNode object = sectionSchema(section);
            assertThat(object.path("type").asText()).as("type of %s", section).isEqualTo("object");
            assertThat(object.path("additionalProperties").isBoolean()
                            && !object.path("additionalProperties").asBoolean())
                    .as("additionalProperties: false in %s", section)
                    .isTrue();
            assertThat(object.path("description").asText())
                    .as("description of %s", section)
                    .isNotBlank();
            Iterator<Map.Entry<String, JsonNode>> fields =
                    object.path("properties").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                assertThat(field.getValue().path("description").asText())
                        .as("description of %s.%s (editors show it on hover)", section, field.getKey())
                        .isNotBlank();
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(schema, refs);

        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).startsWith("#/");
            assertThat(schema.at(ref.substring(1)).isMissingNode())
                    .as("target of %s", ref)
                    .isFalse();
        });
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.has("$ref")) {
            out.add(node.get("$ref").asText());
        }
        node.elements().forEachRemaining(child -> collectRefs(child, out));
    }

    @Test
    void thereAreAtLeastTheFiveDocumentedExamples() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .contains("quickstart.yaml", "multi-region.yaml", "airgap.yaml", "signed-only.yaml", "failover.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleValidates(Path example) throws IOException {
        OutputUnit result = validate(Files.readString(example));

        assertThat(result.getValid()).as("%s: %s", example, result.getErrors()).isTrue();
    }

    /**
     * A document in {@code src/test/resources/invalid/}. Its first lines say what is wrong and
     * where each checker must report it: {@code # schema: JSON-POINTER} (instance location) and
     * {@code # loader: PATH} (the field path of a {@code ConfigProblem}).
     */
    record InvalidDocument(Path path, String text, String why, String schemaAt, String loaderPath) {

        static InvalidDocument read(Path path) throws IOException {
            String text = Files.readString(path);
            List<String> lines = text.lines().toList();
            assertThat(lines.size()).as("%s has its three header lines", path).isGreaterThan(3);
            assertThat(lines.get(1)).as("%s line 2", path).startsWith("# schema: #");
            assertThat(lines.get(2)).as("%s line 3", path).startsWith("# loader: ");
            return new InvalidDocument(
                    path,
                    text,
                    lines.get(0).substring(2),
                    lines.get(1).substring("# schema: ".length()).strip(),
                    lines.get(2).substring("# loader: ".length()).strip());
        }

        @Override
        public String toString() {
            return path.getFileName() + " (" + why + ")";
        }
    }

    static Stream<InvalidDocument> invalidDocuments() throws IOException {
        List<InvalidDocument> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "invalid"))) {
            for (Path p :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                documents.add(InvalidDocument.read(p));
            }
        }
        assertThat(documents).hasSizeGreaterThanOrEqualTo(20);
        return documents.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void everyInvalidDocumentIsRefusedForItsOwnMistake(InvalidDocument document) throws IOException {
        OutputUnit result = validate(document.text());

        assertThat(result.getValid()).as("%s should be refused", document).isFalse();
        List<String> locations =
                result.getErrors().stream().map(OutputUnit::getInstanceLocation).toList();
        assertThat(locations)
                .as("%s reported at %s", document, document.schemaAt())
                .contains(document.schemaAt());
        // Errors bubble up to enclosing values and alternatives report inside the bad value, but
        // none may be off that path: the rest of the document is valid.
        assertThat(locations)
                .as(
                        "%s: every error on the path through %s; errors: %s",
                        document, document.schemaAt(), result.getErrors())
                .allSatisfy(at -> assertThat(
                                isSelfOrAncestor(at, document.schemaAt()) || isSelfOrAncestor(document.schemaAt(), at))
                        .isTrue());
    }

    private static boolean isSelfOrAncestor(String location, String of) {
        return of.equals(location) || of.startsWith(location.endsWith("/") ? location : location + "/");
    }

    @Test
    void everyDefaultIsAValueItsOwnFieldAccepts() throws IOException {
        int checked = 0;
        for (String section : Fields.sections().keySet()) {
            Iterator<Map.Entry<String, JsonNode>> fields =
                    sectionSchema(section).path("properties").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().has("default")) {
                    continue;
                }
                // The field's schema on its own, with the definitions its $ref may point into.
                JsonObject fieldSchema = new JsonObject(JSON.writeValueAsString(field.getValue()));
                fieldSchema.put("definitions", new JsonObject(JSON.writeValueAsString(schema.get("definitions"))));
                Object value = io.vertx.core.json.Json.decodeValue(
                        JSON.writeValueAsString(field.getValue().get("default")));

                OutputUnit result = validatorFor(fieldSchema).validate(value);

                assertThat(result.getValid())
                        .as("default of %s.%s: %s", section, field.getKey(), result.getErrors())
                        .isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(15);
    }

    @Test
    void schemaDefaultsAreWhatTheLoaderFillsIn() {
        Schedule s = ScheduleLoader.parse("minimal.yaml", """
        version: 1
        registries:
          - { name: a, url: "https://a.example.com" }
          - { name: b, url: "https://b.example.com" }
        policies:
          - name: p
            source: { registry: a, repositories: ["**"], tags: { latest: 1 } }
            targets: [ { registry: b } ]
            trigger: { interval: 1m }
        """, Path.of("."));
        RegistryConfig registry = s.registries().get(0);
        Policy policy = s.policies().get(0);

        assertThat(registry.region()).isEqualTo(defaultOf("registry", "region").asText());
        assertThat(registry.insecure())
                .isEqualTo(defaultOf("registry", "insecure").asBoolean());
        assertThat(policy.source().exclude()).isEmpty();
        assertThat(defaultOf("source", "exclude").isEmpty()).isTrue();
        assertThat(policy.source().tags().include()).isEmpty();
        assertThat(defaultOf("tags", "include").isEmpty()).isTrue();
        assertThat(policy.source().tags().exclude()).isEmpty();
        assertThat(defaultOf("tags", "exclude").isEmpty()).isTrue();
        assertThat(policy.targets().get(0).prefix())
                .isEqualTo(defaultOf("target", "prefix").asText());
        assertThat(policy.trigger().event())
                .isEqualTo(defaultOf("trigger", "event").asBoolean());
        assertThat(policy.trigger().manual())
                .isEqualTo(defaultOf("trigger", "manual").asBoolean());
        for (String section : List.of("policy", "defaults")) {
            assertThat(policy.tier().yamlName())
                    .isEqualTo(defaultOf(section, "tier").asText());
            assertThat(policy.onConflict().yamlName())
                    .isEqualTo(defaultOf(section, "onConflict").asText());
            assertThat(policy.referrers())
                    .isEqualTo(defaultOf(section, "referrers").asBoolean());
            assertThat(policy.platforms()).isEmpty();
            assertThat(defaultOf(section, "platforms").isEmpty()).isTrue();
            assertThat(policy.immutableTags()).isEmpty();
            assertThat(defaultOf(section, "immutableTags").isEmpty()).isTrue();
        }
        FailoverConfig failover = FailoverConfig.defaults();
        assertThat(s.failover()).isEqualTo(failover);
        assertThat(Durations.parse(defaultOf("failover", "probeInterval").asText()))
                .isEqualTo(failover.probeInterval());
        assertThat(defaultOf("failover", "downAfter").asInt()).isEqualTo(failover.downAfter());
        assertThat(Durations.parse(defaultOf("failover", "failbackAfter").asText()))
                .isEqualTo(failover.failbackAfter());
        assertThat(s.api().listen())
                .isEqualTo(ApiConfig.DEFAULT_LISTEN)
                .isEqualTo(defaultOf("api", "listen").asText());
    }

    private static JsonNode defaultOf(String section, String field) {
        JsonNode value = sectionSchema(section).path("properties").path(field).get("default");
        assertThat(value).as("schema default of %s.%s", section, field).isNotNull();
        return value;
    }
}
