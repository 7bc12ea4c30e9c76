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

  public static final String CATALOG = "registry:catalog:*";

  public static List<String> of(String... scopes) {
    return List.of(scopes);
  }
}
