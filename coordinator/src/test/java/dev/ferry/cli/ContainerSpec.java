package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a rendered container runs: its args with {@code $(VAR)} expanded as the kubelet does. */
final class ContainerSpec {

    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** What a downward-API value stands for while checking. */
    static final String POD_IP = "10.1.2.3";

    private ContainerSpec() {}

    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : POD_IP);
        }
        return env;
    }

    static String[] args(JsonNode container) {
        Map<String, String> env = env(container);
        List<String> out = new ArrayList<>();
        for (JsonNode a : container.path("args")) {
            Matcher m = VAR.matcher(a.asText());
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(expanded, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(expanded);
            out.add(expanded.toString());
        }
        return out.toArray(String[]::new);
    }

    static int port(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name + " in "
                + container.path("name").asText());
    }

    /** The volume name mounted at a directory that holds {@code path}, or null. */
    static String volumeHolding(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (path.startsWith(m.path("mountPath").asText() + "/")) {
                return m.path("name").asText();
            }
        }
        return null;
    }
}
