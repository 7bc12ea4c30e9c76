package dev.ferry.config.yaml;

/** The file is not well-formed YAML (or uses a construct a schedule never needs). */
public class YamlSyntaxException extends RuntimeException {

    private final Location location;

    public YamlSyntaxException(Location location, String message) {
        super(message);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
