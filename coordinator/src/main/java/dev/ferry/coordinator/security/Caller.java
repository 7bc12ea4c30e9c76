package dev.ferry.coordinator.security;

/**
 * An authenticated caller: the token's name (the audit actor) and its role.
 *
 * @param inProcess true only for the worker running inside a standalone coordinator
 */
public record Caller(String name, Role role, boolean inProcess) {

    public Caller(String name, Role role) {
        this(name, role, false);
    }
}
