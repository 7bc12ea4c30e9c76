package dev.ferry.coordinator.quota;

import java.io.Serializable;

/** A link: traffic from one region to another; quotas bind per link. */
public record LinkKey(String from, String to) implements Serializable {

    /** The form used as a map key and a metrics label, {@code from->to}. */
    public String id() {
        return from + "->" + to;
    }

    public static LinkKey parse(String id) {
        int arrow = id.indexOf("->");
        if (arrow <= 0) {
            throw new IllegalArgumentException("not a link id: " + id);
        }
        return new LinkKey(id.substring(0, arrow), id.substring(arrow + 2));
    }

    @Override
    public String toString() {
        return id();
    }
}
