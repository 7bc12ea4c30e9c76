package dev.ferry.config.model;

import java.util.List;

/**
 * Signature rules: with cosign keys set, an image reaches a target only with a valid
 * signature by one of them.
 *
 * @param cosignKeys public key files, relative to the schedule file's directory
 */
public record VerifySpec(List<String> cosignKeys) {

  public static VerifySpec none() {
    return new VerifySpec(List.of());
  }

  public boolean required() {
    return !cosignKeys.isEmpty();
  }
}
