package dev.ferry.config.audit;

import dev.ferry.config.yaml.Location;
import dev.ferry.config.yaml.Node;
import java.util.List;

/** Small reads of the raw YAML tree: what the model does not keep (locations, production, tokens). */
final class TreeView {

    private TreeView() {}

    static Node get(Node node, String key) {
        return node instanceof Node.Mapping m ? m.entries().get(key) : null;
    }

    static List<Node> items(Node node, String key) {
        return get(node, key) instanceof Node.Sequence s ? s.items() : List.of();
    }

    static String text(Node node, String key) {
        return get(node, key) instanceof Node.Scalar s ? s.text() : null;
    }

    static boolean isTrue(Node node, String key) {
        return get(node, key) instanceof Node.Scalar s
                && s.type() == Node.Scalar.Type.BOOLEAN
                && "true".equalsIgnoreCase(s.text());
    }

    /** Where {@code key} is written in {@code node}, else where the node is. */
    static Location at(Node node, String key) {
        if (node instanceof Node.Mapping m && m.keyLocations().containsKey(key)) {
            return m.keyLocations().get(key);
        }
        return node == null ? null : node.location();
    }
}
