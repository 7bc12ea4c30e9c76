package dev.ferry.common.transport;

import java.util.List;

/** Token scopes as the distribution token spec writes them. */
public final class Scopes {

    private Scopes() {}

    public static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    public static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    /** Deleting needs its own action in a token scope. */
    public static String delete(String repository) {
        return "repository:" + repository + ":delete";
    }

    public static final String CATALOG = "registry:catalog:*";

    public static List<String> of(String... scopes) {
        return List.of(scopes);
    }
}
