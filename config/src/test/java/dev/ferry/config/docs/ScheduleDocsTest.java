package dev.ferry.config.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.config.load.ConfigException;
import dev.ferry.config.load.Fields;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.Tier;
import io.vertx.json.schema.OutputUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/schedule.md documents exactly the fields the loader accepts, with the schema's
 * defaults, and its complete examples are valid.
 *
 * <p>Conventions the test reads: a section's heading starts with its name in backticks
 * ({@code ### `registry`: an entry of `registries`}); its fields are the rows of a table
 * whose header starts with {@code | field |}, one row per field, the name in backticks in the
 * first cell and the default in the third.
 */
class ScheduleDocsTest {

    static final Path DOC = Path.of("..", "docs", "schedule.md");

    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");
    private static final Pattern SECTION_HEADING = Pattern.compile("^`([^`]+)`");
    private static final Pattern FIELD_ROW = Pattern.compile("^\\| `([^`]+)` \\|");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** A fenced code block: its info string, text, and the line of the doc it starts on. */
    private record Block(String language, String text, int line) {}

    private static String doc;
    private static final Map<String, Integer> sectionHeadings = new LinkedHashMap<>();
    private static final Map<String, List<String>> documentedFields = new LinkedHashMap<>();
    /** Section to field to the cells of its table row. */
    private static final Map<String, Map<String, List<String>>> rows = new LinkedHashMap<>();

    private static final Set<String> anchors = new HashSet<>();
    private static final List<Block> blocks = new ArrayList<>();
    private static final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void readDoc() throws IOException {
        doc = Files.readString(DOC);
        List<String> lines = doc.lines().toList();
        String section = null;
        boolean inFieldTable = false;
        Block open = null;
        StringBuilder blockText = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                if (open == null) {
                    open = new Block(line.substring(3).strip(), null, i + 1);
                    blockText.setLength(0);
                } else {
                    blocks.add(new Block(open.language(), blockText.toString(), open.line()));
                    open = null;
                }
                continue;
            }
            if (open != null) {
                blockText.append(line).append('\n');
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(slug(heading.group(1)));
                Matcher name = SECTION_HEADING.matcher(heading.group(1));
                section = name.find() ? name.group(1) : null;
                if (section != null && sectionHeadings.putIfAbsent(section, i + 1) != null) {
                    problems.add("line " + (i + 1) + ": second heading for section " + section);
                }
                inFieldTable = false;
                continue;
            }
            if (line.startsWith("| field |")) {
                if (section == null) {
                    problems.add("line " + (i + 1) + ": a field table outside a section");
                }
                inFieldTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inFieldTable = false;
                continue;
            }
            Matcher row = FIELD_ROW.matcher(line);
            if (inFieldTable && section != null && row.find()) {
                documentedFields
                        .computeIfAbsent(section, s -> new ArrayList<>())
                        .add(row.group(1));
                rows.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(row.group(1), cells(line));
            }
        }
        if (open != null) {
            problems.add("line " + open.line() + ": a code block that is never closed");
        }
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        for (String cell : row.split("(?<!\\\\)\\|", -1)) {
            out.add(cell.strip());
        }
        return out.subList(1, out.size() - 1);
    }

    /** The anchor GitHub gives a heading. */
    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    @Test
    void theDocParsesCleanly() {
        assertThat(problems).isEmpty();
    }

    @Test
    void everySectionHasAHeading() {
        assertThat(sectionHeadings.keySet())
                .containsExactlyInAnyOrderElementsOf(Fields.sections().keySet());
    }

    @Test
    void everySectionsFieldTableListsExactlyItsFieldsInTheLoadersOrder() {
        for (Map.Entry<String, List<String>> section : Fields.sections().entrySet()) {
            assertThat(documentedFields.get(section.getKey()))
                    .as("field table of section %s", section.getKey())
                    .containsExactlyElementsOf(section.getValue());
        }
    }

    @Test
    void everyFieldIsWrittenInBackticks() {
        Fields.sections().values().stream()
                .flatMap(List::stream)
                .distinct()
                .forEach(field -> assertThat(doc).contains("`" + field + "`"));
    }

    @Test
    void noFieldTableDocumentsAFieldTheLoaderDoesNotKnow() {
        documentedFields.forEach((section, fields) -> {
            assertThat(Fields.sections()).as("documented section %s", section).containsKey(section);
            assertThat(Fields.sections().get(section))
                    .as("fields documented for %s", section)
                    .containsAll(fields);
        });
    }

    @Test
    void everyDefaultInTheSchemaIsTheDocumentedDefault() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SchemaTest.SCHEMA.toFile());
        int checked = 0;
        for (String section : Fields.sections().keySet()) {
            JsonNode properties = (section.equals("schedule")
                            ? schema
                            : schema.path("definitions").path(section))
                    .path("properties");
            for (String field : Fields.sections().get(section)) {
                JsonNode fallback = properties.path(field).get("default");
                if (fallback == null) {
                    continue;
                }
                String expected = fallback.isTextual()
                        ? "`" + (fallback.asText().isEmpty() ? "\"\"" : fallback.asText()) + "`"
                        : "`" + fallback + "`";
                assertThat(rows.get(section).get(field).get(2))
                        .as("documented default of %s.%s", section, field)
                        .startsWith(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(15);
    }

    @Test
    void everyTierAndConflictRuleIsDocumented() {
        Tier.yamlNames().forEach(tier -> assertThat(doc).contains("`" + tier + "`"));
        OnConflict.yamlNames().forEach(rule -> assertThat(doc).contains("| `" + rule + "` |"));
    }

    @Test
    void everyCompleteScheduleInTheDocIsValidForTheSchemaAndTheLoader() throws IOException {
        List<Block> schedules = blocks.stream()
                .filter(b -> b.language().equals("yaml") && b.text().lines().anyMatch(l -> l.equals("version: 1")))
                .toList();
        assertThat(schedules).isNotEmpty();

        for (Block b : schedules) {
            OutputUnit result = SchemaTest.validate(b.text());
            assertThat(result.getValid())
                    .as("block at line %d: %s", b.line(), result.getErrors())
                    .isTrue();
            try {
                ScheduleLoader.parse(DOC + ":" + b.line(), b.text(), DOC.getParent());
            } catch (ConfigException e) {
                throw new AssertionError("block at line " + b.line() + " of " + DOC + ":\n" + e.getMessage(), e);
            }
        }
    }

    @Test
    void everyLinkInTheDocLeadsSomewhere() {
        Matcher link = LINK.matcher(doc);
        int checked = 0;
        while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("http://") || target.startsWith("https://")) {
                continue;
            }
            if (target.startsWith("#")) {
                assertThat(anchors).as("anchor %s", target).contains(target.substring(1));
            } else {
                assertThat(DOC.getParent().resolve(target.replaceAll("#.*", "")))
                        .as("link %s", target)
                        .exists();
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void theDocLinksEveryExampleAndTheSchema() throws IOException {
        SchemaTest.examples()
                .forEach(example -> assertThat(doc).contains("(../config/examples/" + example.getFileName() + ")"));
        assertThat(doc).contains("(../config/schema/ferry-schedule.schema.json)");
    }

    @Test
    void theDocExplainsValidationEditorsAndReloads() {
        assertThat(doc)
                .contains("java -jar coordinator/target/ferry.jar validate FILE...")
                .contains("**0**")
                .contains("**2**")
                .contains("`FILE:LINE:COL: path: message`")
                .contains("# yaml-language-server: $schema=")
                .contains("An invalid file never replaces a valid one");
    }
}
