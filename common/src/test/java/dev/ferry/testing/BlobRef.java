package dev.ferry.testing;

/** Digest, size and media type of a blob (config or layer). */
public record BlobRef(String digest, long size, String mediaType) {}
