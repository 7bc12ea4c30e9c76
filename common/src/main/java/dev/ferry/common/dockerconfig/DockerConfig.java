package dev.ferry.common.dockerconfig;

import dev.ferry.common.io.BoundedFiles;
import dev.ferry.common.reference.DockerHub;
import dev.ferry.common.transport.Credentials;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a Docker config file ({@code ~/.docker/config.json}, or the containers
 * {@code auth.json}) says about registry credentials: {@code auths} (a base64
 * {@code user:password} in {@code auth}, or an {@code identitytoken}), {@code credHelpers} (a
 * helper per registry) and {@code credsStore} (the helper for all the others).
 *
 * <p>Registry keys are compared by host: {@code https://HOST/v1/}, {@code HOST} and
 * {@code http://HOST} are the same entry, and all of Docker Hub's names are one.
 */
public record DockerConfig(Path file, Map<String, Entry> auths, Map<String, String> credHelpers, String credsStore) {

    /** A config file is small; a larger one is a mistake. */
    static final int MAX_BYTES = 1024 * 1024;

    /** One {@code auths} entry, as written; {@link #credentials()} decodes it. */
    public record Entry(String key, String auth, String identityToken, String username, String password) {

        /** Null when the entry holds nothing usable (Docker leaves {@code {}} when a store keeps the secret). */
        Credentials credentials(Path file) {
            if (identityToken != null && !identityToken.isEmpty()) {
                return Credentials.identityToken(identityToken);
            }
            if (auth != null && !auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new DockerConfigException(file + ": auths[\"" + key + "\"].auth is not base64", false);
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw new DockerConfigException(
                            file + ": auths[\"" + key + "\"].auth is not base64 of USER:PASSWORD", false);
                }
                return Credentials.basic(decoded.substring(0, colon), decoded.substring(colon + 1));
            }
            if (username != null && !username.isEmpty() && password != null) {
                return Credentials.basic(username, password);
            }
            return null;
        }

        @Override
        public String toString() {
            return "auths entry " + key + " (secrets hidden)";
        }
    }

    /** Where a registry's credentials come from, per this file. */
    public sealed interface Source {}

    /** Written in the file itself. */
    public record Inline(Credentials credentials) implements Source {}

    /**
     * From the helper {@code docker-credential-NAME}, asked for {@code serverUrl}.
     *
     * @param field {@code credHelpers} or {@code credsStore}, for error messages
     */
    public record Helper(String name, String serverUrl, String field) implements Source {}

    /** The file has nothing for this registry: anonymous. */
    public record Nothing() implements Source {}

    /** Reads and parses {@code file}; errors name the file and what is wrong in it. */
    public static DockerConfig read(Path file) {
        String text;
        try {
            text = BoundedFiles.readString(file, MAX_BYTES, StandardCharsets.UTF_8);
        } catch (BoundedFiles.RefusedFile e) {
            throw new DockerConfigException("Docker config " + e.getMessage(), false);
        } catch (IOException e) {
            throw new DockerConfigException(
                    "cannot read Docker config " + file + " (" + e.getClass().getSimpleName() + ")", false);
        }
        return parse(file, text);
    }

    static DockerConfig parse(Path file, String text) {
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new DockerConfigException("Docker config " + file + " is not a JSON object", false);
        }
        Map<String, Entry> auths = new LinkedHashMap<>();
        JsonObject a = object(json, "auths", file);
        for (String key : a.fieldNames()) {
            Object v = a.getValue(key);
            if (!(v instanceof JsonObject e)) {
                throw new DockerConfigException(
                        "Docker config " + file + ": auths[\"" + key + "\"] is not an object", false);
            }
            auths.put(
                    hostKey(key),
                    new Entry(
                            key,
                            string(e, "auth", file),
                            string(e, "identitytoken", file),
                            string(e, "username", file),
                            string(e, "password", file)));
        }
        Map<String, String> helpers = new LinkedHashMap<>();
        JsonObject h = object(json, "credHelpers", file);
        for (String key : h.fieldNames()) {
            Object v = h.getValue(key);
            if (!(v instanceof String name) || !CredentialHelper.validName(name)) {
                throw new DockerConfigException(
                        "Docker config " + file + ": credHelpers[\"" + key
                                + "\"] must name a helper (letters, digits, '-', '_', '.')",
                        false);
            }
            helpers.put(hostKey(key), name);
        }
        String store = string(json, "credsStore", file);
        if (store != null && !store.isEmpty() && !CredentialHelper.validName(store)) {
            throw new DockerConfigException(
                    "Docker config " + file + ": credsStore must name a helper (letters, digits, '-', '_', '.')",
                    false);
        }
        return new DockerConfig(file, auths, helpers, store == null || store.isEmpty() ? null : store);
    }

    /**
     * Where {@code host}'s credentials come from: its {@code credHelpers} entry first, then
     * credentials written in {@code auths}, then {@code credsStore}, else none.
     */
    public Source lookup(String host) {
        String key = hostKey(host);
        String serverUrl = DockerHub.isHub(host) ? DockerHub.LEGACY_SERVER_URL : host;
        String helper = credHelpers.get(key);
        if (helper != null) {
            return new Helper(helper, serverUrl, "credHelpers");
        }
        Entry entry = auths.get(key);
        if (entry != null) {
            Credentials inline = entry.credentials(file);
            if (inline != null) {
                return new Inline(inline);
            }
        }
        if (credsStore != null) {
            return new Helper(
                    credsStore, entry != null && !DockerHub.isHub(host) ? entry.key() : serverUrl, "credsStore");
        }
        return new Nothing();
    }

    /** {@code https://HOST:PORT/v1/} and friends to {@code host:port}, Docker Hub's names to one. */
    static String hostKey(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return DockerHub.canonical(k);
    }

    private static JsonObject object(JsonObject json, String field, Path file) {
        Object v = json.getValue(field);
        if (v == null) {
            return new JsonObject();
        }
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new DockerConfigException("Docker config " + file + ": " + field + " is not an object", false);
    }

    private static String string(JsonObject json, String field, Path file) {
        Object v = json.getValue(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new DockerConfigException("Docker config " + file + ": " + field + " is not a string", false);
    }

    @Override
    public String toString() {
        return "Docker config " + file;
    }
}
