package dev.ferry.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlTreeTest {

    @Test
    void nodesKnowTheirLineAndColumn() {
        Node root = YamlTree.parse("f.yaml", "a: 1\nb:\n  - x\n  - { c: true }\n");

        Node.Mapping m = (Node.Mapping) root;
        assertThat(m.keyLocations().get("b")).isEqualTo(new Location("f.yaml", 2, 1));
        Node.Sequence b = (Node.Sequence) m.entries().get("b");
        assertThat(b.items().get(0).location()).isEqualTo(new Location("f.yaml", 3, 5));
        Node.Mapping c = (Node.Mapping) b.items().get(1);
        assertThat(((Node.Scalar) c.entries().get("c")).type()).isEqualTo(Node.Scalar.Type.BOOLEAN);
        assertThat(((Node.Scalar) m.entries().get("a")).type()).isEqualTo(Node.Scalar.Type.INTEGER);
    }

    @Test
    void quotedNumbersStayStrings() {
        Node.Mapping m = (Node.Mapping) YamlTree.parse("f.yaml", "v: \"1\"\n");

        assertThat(((Node.Scalar) m.entries().get("v")).type()).isEqualTo(Node.Scalar.Type.STRING);
    }

    @Test
    void duplicateKeysAreRefusedAtTheSecond() {
        assertThatThrownBy(() -> YamlTree.parse("f.yaml", "a: 1\nb: 2\na: 3\n"))
                .isInstanceOfSatisfying(
                        YamlSyntaxException.class,
                        e -> assertThat(e.location()).isEqualTo(new Location("f.yaml", 3, 1)))
                .hasMessageContaining("duplicate key \"a\"")
                .hasMessageContaining("line 1");
    }

    @Test
    void syntaxErrorsCarryALocation() {
        assertThatThrownBy(() -> YamlTree.parse("f.yaml", "a: [1, 2\nb: 3\n"))
                .isInstanceOfSatisfying(
                        YamlSyntaxException.class,
                        e -> assertThat(e.location().line()).isGreaterThan(1))
                .hasMessageContaining("YAML syntax error");
    }

    @Test
    void emptyDocumentIsAnEmptyMapping() {
        assertThat(YamlTree.parse("f.yaml", "")).isInstanceOf(Node.Mapping.class);
    }
}
