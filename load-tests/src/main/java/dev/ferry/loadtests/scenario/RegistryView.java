package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.util.List;

/** What the chaos checks read from a registry: tag lists, manifests by tag or digest, blob presence. */
interface RegistryView {

    /** A manifest's bytes and the media type it was served as. */
    record Fetched(byte[] body, String mediaType) {}

    /** A short name for reports, e.g. {@code target-1}. */
    String name();

    /** The tags of {@code repository}, empty when it does not exist. Throws when the registry cannot be reached. */
    List<String> tags(String repository) throws IOException, InterruptedException;

    /** The manifest {@code reference} (a tag or a digest) of {@code repository}, or null when there is none. */
    Fetched manifest(String repository, String reference) throws IOException, InterruptedException;

    boolean hasBlob(String repository, String digest) throws IOException, InterruptedException;
}
