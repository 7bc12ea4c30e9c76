package dev.ferry.testing;

import java.util.Arrays;
import java.util.List;

/**
 * A docker token scope such as {@code repository:team/app:pull,push}. The resource name may itself
 * contain colons, so the type ends at the first colon and the actions start after the last one.
 */
public record TokenScope(String type, String name, List<String> actions) {

    public TokenScope {
        actions = List.copyOf(actions);
    }

    public static TokenScope parse(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first) {
            throw new IllegalArgumentException("malformed scope: " + scope);
        }
        String actions = scope.substring(last + 1);
        return new TokenScope(
                scope.substring(0, first),
                scope.substring(first + 1, last),
                actions.isEmpty() ? List.of() : Arrays.asList(actions.split(",")));
    }

    public static TokenScope repository(String name, String... actions) {
        return new TokenScope("repository", name, List.of(actions));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
