package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link RegistryView} through Debian's {@code skopeo} ({@code list-tags}, {@code inspect --raw}),
 * an independent client for the final comparison. Blob presence is not asked this way.
 */
final class SkopeoView implements RegistryView {

    private final String name;
    private final String host;
    private final Path scratch;

    SkopeoView(String name, String host, Path scratch) {
        this.name = name;
        this.host = host;
        this.scratch = scratch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> tags(String repository) throws IOException, InterruptedException {
        byte[] out = skopeo("list-tags", "--tls-verify=false", "docker://" + host + "/" + repository);
        if (out == null) {
            return List.of(); // no such repository
        }
        List<String> tags = new ArrayList<>();
        JsonNode list = ManifestParser.mapper().readTree(out).path("Tags");
        list.forEach(t -> tags.add(t.asText()));
        return tags;
    }

    @Override
    public Fetched manifest(String repository, String reference) throws IOException, InterruptedException {
        String separator = reference.contains(":") ? "@" : ":";
        byte[] raw = skopeo(
                "inspect",
                "--raw",
                "--tls-verify=false",
                "docker://" + host + "/" + repository + separator + reference);
        return new Fetched(
                raw, ManifestParser.mapper().readTree(raw).path("mediaType").asText(""));
    }

    @Override
    public boolean hasBlob(String repository, String digest) {
        throw new UnsupportedOperationException("skopeo is only used to compare tags");
    }

    private byte[] skopeo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("skopeo");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "skopeo", ".out");
        Path err = Files.createTempFile(scratch, "skopeo", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("skopeo " + String.join(" ", args) + " took over 60 s");
            }
            String error = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 && args[0].equals("list-tags") && error.contains("404 (Not Found)")) {
                return null;
            }
            if (p.exitValue() != 0) {
                throw new IOException("skopeo " + String.join(" ", args) + " exited " + p.exitValue() + ": " + error);
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
