package dev.ferry.coordinator.security;

/** What checking a presented token found: a caller, or why there is none. */
public record Verdict(Caller caller, String refusal) {

    public static final Verdict UNKNOWN = new Verdict(null, "the bearer token is not valid");
    public static final Verdict EXPIRED = new Verdict(null, "the bearer token has expired");

    public static Verdict accepted(Caller caller) {
        return new Verdict(caller, null);
    }

    public boolean accepted() {
        return caller != null;
    }
}
