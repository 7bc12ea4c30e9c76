package dev.ferry.config.load;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@code api.tokens} entries: a name, a known role, the token's sha256 (never the token)
 * and, when given, an ISO-8601 expiry.
 */
final class TokenChecks {

  static final List<String> ROLES = List.of("viewer", "operator", "admin", "worker");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private TokenChecks() {}

  /** @param tokens null when the file has none */
  static void check(List<Section> tokens) {
    if (tokens == null) {
      return;
    }
    for (Section t : tokens) {
      t.requiredString("name");
      String role = t.requiredString("role");
      if (role != null && !ROLES.contains(role)) {
        t.problem("role", "unknown role \"" + role + "\": use one of " + String.join(", ", ROLES));
      }
      String sha = t.requiredString("sha256");
      if (sha != null && !SHA256.matcher(sha).matches()) {
        t.problem("sha256", "expected the token's sha256 as 64 lowercase hex digits (the token itself is never"
            + " written in the schedule)");
      }
      String expires = t.string("expires");
      if (expires != null && !isDate(expires)) {
        t.problem("expires", "invalid expiry \"" + expires + "\": write an ISO-8601 date (2027-01-31) or"
            + " date-time (2027-01-31T00:00:00Z)");
      }
    }
  }

  static boolean isDate(String text) {
    try {
      LocalDate.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      try {
        OffsetDateTime.parse(text);
        return true;
      } catch (DateTimeParseException e2) {
        return false;
      }
    }
  }
}
