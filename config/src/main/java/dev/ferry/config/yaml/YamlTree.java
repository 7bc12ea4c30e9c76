package dev.ferry.config.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML into {@link Node}s that remember line and column. Jackson's YAML parser does
 * the parsing; this keeps the locations its tree model would drop, and refuses duplicate
 * keys (which YAML forbids and which would otherwise silently keep the last value).
 */
public final class YamlTree {

    /**
     * As many code points as the largest schedule file has bytes (4 MiB): SnakeYAML's own default
     * (3 MiB) would refuse files the documented limit allows.
     */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private static final YAMLFactory FACTORY =
            YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }

    private YamlTree() {}

    /** Parses one document. Syntax errors become {@link YamlSyntaxException} with a location. */
    public static Node parse(String file, String content) {
        try (JsonParser p = FACTORY.createParser(content)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Node.Mapping(new Location(file, 1, 1), Map.of(), Map.of());
            }
            Node root = read(file, p);
            if (p.nextToken() != null) {
                throw new YamlSyntaxException(
                        location(file, p.currentTokenLocation()),
                        "more than one YAML document; a schedule file holds exactly one");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new YamlSyntaxException(
                    at == null ? new Location(file, 1, 1) : location(file, at),
                    "YAML syntax error: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new YamlSyntaxException(new Location(file, 1, 1), "cannot read YAML: " + e.getMessage());
        }
    }

    private static Node read(String file, JsonParser p) throws IOException {
        Location here = location(file, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Location> keys = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = location(file, p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw new YamlSyntaxException(
                                keyAt,
                                "duplicate key \"" + key + "\" (first at line "
                                        + keys.get(key).line() + ")");
                    }
                    p.nextToken();
                    keys.put(key, keyAt);
                    entries.put(key, read(file, p));
                }
                return new Node.Mapping(here, entries, keys);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(file, p));
                }
                return new Node.Sequence(here, items);
            }
            case VALUE_STRING:
                return new Node.Scalar(here, Node.Scalar.Type.STRING, p.getText());
            case VALUE_NUMBER_INT:
                return new Node.Scalar(here, Node.Scalar.Type.INTEGER, p.getText());
            case VALUE_NUMBER_FLOAT:
                return new Node.Scalar(here, Node.Scalar.Type.DECIMAL, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node.Scalar(here, Node.Scalar.Type.BOOLEAN, p.getText());
            case VALUE_NULL:
                return new Node.Scalar(here, Node.Scalar.Type.NULL, null);
            default:
                throw new YamlSyntaxException(here, "unsupported YAML construct (" + t + ")");
        }
    }

    private static Location location(String file, JsonLocation at) {
        return new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable document";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
