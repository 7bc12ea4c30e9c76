package dev.ferry.common.reference;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.InvalidDigestException;
import java.util.regex.Pattern;

/** Parses references per the distribution grammar, and says precisely what is wrong. */
final class ReferenceParser {

    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private ReferenceParser() {}

    static Reference parse(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidReferenceException("", "reference is empty");
        }
        if (!input.strip().equals(input)) {
            throw new InvalidReferenceException(input, "leading or trailing whitespace");
        }
        String rest = input;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (InvalidDigestException e) {
                throw new InvalidReferenceException(input, e.getMessage());
            }
            rest = rest.substring(0, at);
        }

        String registry = Reference.DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0 && looksLikeHost(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            validateHost(input, registry);
            registry = DockerHub.canonical(registry); // index.docker.io, registry-1.docker.io: the Hub
            rest = rest.substring(slash + 1);
        }

        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException(
                        input,
                        "invalid tag \"" + tag
                                + "\": a tag is 1-128 characters of [A-Za-z0-9_.-] and does not start with '.' or '-'");
            }
        }

        String repository = rest;
        repository = DockerHub.repository(registry, repository);
        validateRepository(input, repository);
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException(input, "name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (tag == null && digest == null) {
            tag = Reference.DEFAULT_TAG;
        }
        return new Reference(registry, repository, tag, digest);
    }

    /** As Docker decides: the first component is a host if it has '.', ':' or is localhost. */
    private static boolean looksLikeHost(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[");
    }

    private static void validateHost(String input, String host) {
        String hostPart = host;
        int portColon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        if (portColon > 0) {
            String port = host.substring(portColon + 1);
            hostPart = host.substring(0, portColon);
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
                throw new InvalidReferenceException(
                        input, "invalid port \"" + port + "\" in registry \"" + host + "\"");
            }
        }
        if (hostPart.startsWith("[")) {
            if (!IPV6.matcher(hostPart).matches()) {
                throw new InvalidReferenceException(input, "invalid IPv6 registry host \"" + hostPart + "\"");
            }
            return;
        }
        for (String label : hostPart.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                throw new InvalidReferenceException(input, "invalid registry host \"" + hostPart + "\"");
            }
        }
    }

    private static void validateRepository(String input, String repository) {
        if (repository.isEmpty()) {
            throw new InvalidReferenceException(input, "repository name is empty");
        }
        for (String component : repository.split("/", -1)) {
            if (component.isEmpty()) {
                throw new InvalidReferenceException(
                        input, "repository \"" + repository + "\" has an empty path component");
            }
            if (!COMPONENT.matcher(component).matches()) {
                String why = component.chars().anyMatch(Character::isUpperCase)
                        ? "repository names must be lowercase"
                        : "a path component is lowercase letters and digits, separated by '.', '_', '__' or '-'";
                throw new InvalidReferenceException(
                        input, "invalid repository path component \"" + component + "\": " + why);
            }
        }
    }
}
