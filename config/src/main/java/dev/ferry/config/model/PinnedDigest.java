package dev.ferry.config.model;

/**
 * A source image named by digest ({@code source.digests}), copied from every selected
 * repository that holds it.
 *
 * @param digest {@code sha256:HEX}
 * @param tag the target tag to write it under; null writes the image by digest only, under no tag
 */
public record PinnedDigest(String digest, String tag) {}
