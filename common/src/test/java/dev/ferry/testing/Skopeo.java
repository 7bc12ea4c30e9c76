package dev.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code skopeo} CLI as an independent check of what a registry or layout holds.
 *
 * <p>References without a transport ({@code 127.0.0.1:5000/team/app:v1}) mean {@code docker://};
 * {@code oci:DIR:TAG}, {@code dir:...} and other transports are passed through. Registry access
 * always uses {@code --tls-verify=false} (test registries speak plain HTTP). Credentials given with
 * {@link #withCreds} are passed as {@code --creds}/{@code --src-creds}/{@code --dest-creds} and are
 * redacted from every error message.
 */
public final class Skopeo {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> CRED_FLAGS = List.of("--creds", "--src-creds", "--dest-creds");

    private final String binary;
    private final Duration timeout;
    private final String creds;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param creds {@code user:password} for registry access, or {@code null}
     */
    public Skopeo(String binary, Duration timeout, String creds) {
        this.binary = Objects.requireNonNull(binary);
        this.timeout = Objects.requireNonNull(timeout);
        this.creds = creds;
    }

    public Skopeo() {
        this("skopeo", DEFAULT_TIMEOUT, null);
    }

    public Skopeo withCreds(String username, String password) {
        return new Skopeo(binary, timeout, username + ":" + password);
    }

    public Skopeo withoutCreds() {
        return new Skopeo(binary, timeout, null);
    }

    public Skopeo withTimeout(Duration newTimeout) {
        return new Skopeo(binary, newTimeout, creds);
    }

    /** {@code sha256:} + hex of the raw manifest bytes ({@code skopeo inspect --raw}). */
    public String manifestDigest(String ref) {
        return Digests.sha256(rawManifest(ref));
    }

    /** The manifest exactly as stored. */
    public byte[] rawManifest(String ref) {
        String transportRef = withTransport(ref);
        List<String> args = new ArrayList<>(List.of("inspect", "--raw"));
        args.addAll(registryFlags(transportRef, "--tls-verify=false", "--creds"));
        args.add(transportRef);
        return run(args).stdout();
    }

    /** The media type declared in the raw manifest (or empty string if it has none). */
    public String mediaType(String ref) {
        try {
            return json.readTree(rawManifest(ref)).path("mediaType").asText("");
        } catch (IOException e) {
            throw new IllegalStateException("manifest of " + ref + " is not JSON", e);
        }
    }

    /** {@code skopeo list-tags} of a repository ({@code host/repo}). */
    public List<String> tags(String repositoryRef) {
        String transportRef = withTransport(repositoryRef);
        List<String> args = new ArrayList<>(List.of("list-tags"));
        args.addAll(registryFlags(transportRef, "--tls-verify=false", "--creds"));
        args.add(transportRef);
        try {
            JsonNode tags = json.readTree(run(args).stdout()).path("Tags");
            List<String> result = new ArrayList<>();
            tags.forEach(tag -> result.add(tag.asText()));
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("unexpected list-tags output", e);
        }
    }

    /**
     * Whether the manifest exists. "Not found" answers give {@code false}; any other failure
     * (authentication, unreachable registry) throws.
     */
    public boolean exists(String ref) {
        try {
            rawManifest(ref);
            return true;
        } catch (SkopeoException e) {
            String err = e.stderr().toLowerCase(Locale.ROOT);
            if (err.contains("manifest unknown")
                    || err.contains("not found")
                    || err.contains("name unknown")
                    || err.contains("no such file")
                    || err.contains("no descriptor found")) {
                return false;
            }
            throw e;
        }
    }

    /**
     * {@code skopeo --insecure-policy copy} with TLS verification off and this instance's creds on
     * both sides (if they are registries); {@code extraArgs} go before the references.
     */
    public void copy(String source, String destination, String... extraArgs) {
        String src = withTransport(source);
        String dst = withTransport(destination);
        List<String> args = new ArrayList<>(List.of("--insecure-policy", "copy"));
        args.addAll(registryFlags(src, "--src-tls-verify=false", "--src-creds"));
        args.addAll(registryFlags(dst, "--dest-tls-verify=false", "--dest-creds"));
        args.addAll(Arrays.asList(extraArgs));
        args.add(src);
        args.add(dst);
        run(args);
    }

    /** Output of a finished skopeo run. */
    public record Result(byte[] stdout, String stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code skopeo args...}; throws {@link SkopeoException} on non-zero exit or timeout. */
    public Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(args);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("skopeo-", ".out");
            err = Files.createTempFile("skopeo-", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                String stderr = redact(Files.readString(err, StandardCharsets.UTF_8));
                throw new SkopeoException(
                        describe(args) + " timed out after " + timeout + "; stderr:\n" + stderr, -1, stderr);
            }
            String stderr = redact(Files.readString(err, StandardCharsets.UTF_8));
            if (process.exitValue() != 0) {
                throw new SkopeoException(
                        describe(args) + " exited with " + process.exitValue() + "; stderr:\n" + stderr,
                        process.exitValue(),
                        stderr);
            }
            return new Result(Files.readAllBytes(out), stderr);
        } catch (IOException e) {
            throw new SkopeoException("cannot run " + describe(args) + ": " + redact(e.getMessage()), -1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkopeoException("interrupted: " + describe(args), -1, "");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private List<String> registryFlags(String transportRef, String tlsFlag, String credsFlag) {
        if (!transportRef.startsWith("docker://")) {
            return List.of();
        }
        return creds == null ? List.of(tlsFlag) : List.of(tlsFlag, credsFlag, creds);
    }

    /** Adds {@code docker://} to references that have no transport. */
    static String withTransport(String ref) {
        int colon = ref.indexOf(':');
        int slash = ref.indexOf('/');
        boolean hasTransport = colon > 0
                && (slash < 0 || colon < slash)
                && !ref.substring(0, colon).contains(".")
                && !ref.substring(colon + 1).matches("^\\d+(/.*)?$");
        return hasTransport ? ref : "docker://" + ref;
    }

    private String describe(List<String> args) {
        StringBuilder text = new StringBuilder(binary);
        boolean redactNext = false;
        for (String arg : args) {
            String shown = arg;
            if (redactNext) {
                shown = redactCreds(arg);
                redactNext = false;
            } else if (CRED_FLAGS.contains(arg)) {
                redactNext = true;
            } else {
                for (String flag : CRED_FLAGS) {
                    if (arg.startsWith(flag + "=")) {
                        shown = flag + "=" + redactCreds(arg.substring(flag.length() + 1));
                    }
                }
            }
            text.append(' ').append(shown);
        }
        return redact(text.toString());
    }

    private static String redactCreds(String userPassword) {
        int colon = userPassword.indexOf(':');
        return (colon < 0 ? userPassword : userPassword.substring(0, colon)) + ":***";
    }

    private String redact(String text) {
        if (text == null || creds == null) {
            return text;
        }
        String password = creds.substring(creds.indexOf(':') + 1);
        return password.isEmpty() ? text : text.replace(password, "***");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "Skopeo[" + binary + ", creds=" + (creds == null ? "none" : redactCreds(creds)) + "]";
    }
}
