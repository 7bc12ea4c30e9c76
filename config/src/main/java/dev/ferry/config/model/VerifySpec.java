package dev.ferry.config.model;

import java.util.List;

/**
 * Signature rules: with cosign keys set, an image reaches a target only with a valid
 * signature by one of them.
 *
 * @param cosignKeys public key files, relative to the schedule file's directory
 * @param cosignKeyPems the files' PEM text, read and checked when the schedule was loaded, in
 *     the same order; jobs carry it to workers (public keys, not secrets)
 */
public record VerifySpec(List<String> cosignKeys, List<String> cosignKeyPems) {

    public VerifySpec {
        cosignKeys = List.copyOf(cosignKeys);
        cosignKeyPems = List.copyOf(cosignKeyPems);
        if (cosignKeyPems.size() != cosignKeys.size()) {
            // Keys without their text would reach workers as "no signature rule": fail closed instead.
            throw new IllegalArgumentException("every cosign key file needs its PEM text");
        }
    }

    public static VerifySpec none() {
        return new VerifySpec(List.of(), List.of());
    }

    public boolean required() {
        return !cosignKeys.isEmpty();
    }
}
