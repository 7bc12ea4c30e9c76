package dev.ferry.coordinator.event;

/**
 * One event of a registry notification, reduced to what Ferry acts on.
 *
 * @param action {@code push}, {@code pull}, {@code delete} (others are ignored)
 * @param tag null when the manifest was addressed by digest
 * @param digest null for a tag delete
 * @param mediaType of the target; blob events carry a non-manifest type
 * @param host {@code request.host}, null when absent
 * @param userAgent {@code request.useragent}, null when absent
 */
public record RegistryEvent(
        String action, String repository, String tag, String digest, String mediaType, String host, String userAgent) {

    public static final String PUSH = "push";
    public static final String PULL = "pull";
    public static final String DELETE = "delete";

    /** A request Ferry itself made (a planner's HEAD, a worker's copy): not a consumer's pull. */
    public boolean byFerry() {
        return userAgent != null
                && (userAgent.equals(dev.ferry.common.transport.HttpTransport.USER_AGENT)
                        || userAgent.startsWith(dev.ferry.common.transport.HttpTransport.USER_AGENT + "/"));
    }

    /** A manifest event: blobs are pushed and pulled by the thousand and say nothing about tags. */
    public boolean aboutManifest() {
        return tag != null || mediaType == null || mediaType.contains("manifest") || mediaType.contains("image.index");
    }
}
