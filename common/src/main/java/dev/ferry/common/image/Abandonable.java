package dev.ferry.common.image;

/** A blob stream that can be given up midway, releasing its file or connection. */
public interface Abandonable {
    void abandon();
}
