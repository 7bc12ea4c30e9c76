package dev.ferry.config.yaml;

/** Where something stands in a source file: 1-based line and column. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
