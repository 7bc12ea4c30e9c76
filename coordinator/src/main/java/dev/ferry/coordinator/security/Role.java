package dev.ferry.coordinator.security;

import java.util.Locale;

/**
 * What a token may call. Human roles nest: admin includes operator, operator includes viewer.
 * The worker role stands apart: the lease protocol and nothing else, and no human role may
 * lease jobs.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN,
    WORKER;

    /** Whether a caller with this role may call a route declared with {@code access}. */
    public boolean permits(Access access) {
        return switch (access) {
            case PUBLIC -> true;
            case WORKER -> this == WORKER;
            case VIEWER -> this == VIEWER || this == OPERATOR || this == ADMIN;
            case OPERATOR -> this == OPERATOR || this == ADMIN;
            case ADMIN -> this == ADMIN;
            // Routes that check their own credentials (webhooks with a shared secret) are not for tokens.
            default -> false;
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code viewer}, {@code operator}, {@code admin} or {@code worker}. */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.id().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + text + "\": use viewer, operator, admin or worker");
    }
}
