package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.ferry.coordinator.health.RouteView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteFilesTest {

    private final RouteFiles files =
            new RouteFiles(Path.of("/etc/containerd/certs.d"), Path.of("/etc/containers/registries.conf.d"));

    private static final String[] MIRRORS = {
        "mirror-a=http://127.0.0.1:5101", "mirror-b=https://mirror-b.example.com", "hub=https://hub.example.com:5443"
    };

    @Test
    void hostsTomlGoesUnderTheUpstreamHostAndListsUsableMirrorsActiveFirst() throws Exception {
        List<NodeFile> out = files.render(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        NodeFile hosts = out.get(0);
        assertThat(hosts.kind()).isEqualTo(NodeFile.HOSTS_TOML);
        assertThat(hosts.path()).isEqualTo(Path.of("/etc/containerd/certs.d/hub.example.com:5443/hosts.toml"));
        JsonNode toml = new TomlMapper().readTree(hosts.content());
        assertThat(toml.path("server").asText()).isEqualTo("https://hub.example.com:5443");
        assertThat(names(toml.path("host"))).containsExactly("http://127.0.0.1:5101", "https://mirror-b.example.com");
        assertThat(toml.path("host")
                        .path("http://127.0.0.1:5101")
                        .path("capabilities")
                        .toString())
                .isEqualTo("[\"pull\",\"resolve\"]");
    }

    @Test
    void theDropInNamesTheUpstreamAsPrefixAndItsMirrorsInOrder() throws Exception {
        NodeFile conf =
                files.render(Routes.route("ci", "mirror-a", List.of(), MIRRORS)).get(1);
        assertThat(conf.kind()).isEqualTo(NodeFile.REGISTRIES_CONF);
        assertThat(conf.path()).isEqualTo(Path.of("/etc/containers/registries.conf.d/ferry-ci.conf"));
        JsonNode registry =
                new TomlMapper().readTree(conf.content()).path("registry").get(0);
        assertThat(registry.path("prefix").asText()).isEqualTo("hub.example.com:5443");
        assertThat(registry.path("location").asText()).isEqualTo("hub.example.com:5443");
        assertThat(registry.path("insecure").asBoolean()).isFalse();
        assertThat(registry.path("mirror").findValuesAsText("location"))
                .containsExactly("127.0.0.1:5101", "mirror-b.example.com");
        assertThat(registry.path("mirror").get(0).path("insecure").asBoolean())
                .as("plain http")
                .isTrue();
    }

    @Test
    void aMirrorThatIsDownLeavesBothFilesAndTheNextOneLeads() throws Exception {
        List<NodeFile> out = files.render(Routes.route("ci", "mirror-b", List.of("mirror-a"), MIRRORS));
        assertThat(names(new TomlMapper().readTree(out.get(0).content()).path("host")))
                .containsExactly("https://mirror-b.example.com");
        assertThat(new TomlMapper()
                        .readTree(out.get(1).content())
                        .path("registry")
                        .get(0)
                        .path("mirror")
                        .findValuesAsText("location"))
                .containsExactly("mirror-b.example.com");
    }

    @Test
    void theActiveMirrorLeadsEvenWhenItIsNotFirstInTheRoute() throws Exception {
        RouteView view = Routes.route("ci", "mirror-b", List.of(), MIRRORS);
        assertThat(names(new TomlMapper()
                        .readTree(files.render(view).get(0).content())
                        .path("host")))
                .containsExactly("https://mirror-b.example.com", "http://127.0.0.1:5101");
    }

    @Test
    void aRouteNameCannotLeaveTheDropInDirectory() {
        NodeFile conf = files.render(Routes.route("../../etc/passwd", "mirror-a", List.of(), MIRRORS))
                .get(1);
        assertThat(conf.path().getParent()).isEqualTo(Path.of("/etc/containers/registries.conf.d"));
        assertThat(conf.path().getFileName().toString()).isEqualTo("ferry-.._.._etc_passwd.conf");
    }

    @Test
    void anAnswerThatCannotMakeWholeFilesIsRefused() {
        RouteView empty = new RouteView("ci", "eu", List.of(), List.of(), null, null, "none", List.of(), 1L);
        assertThatThrownBy(() -> files.render(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route ci has no mirrors");
        RouteView noHost = Routes.route("ci", "mirror-a", List.of(), "mirror-a=http://127.0.0.1:5101", "hub=file:///x");
        assertThatThrownBy(() -> files.render(noHost))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route ci: its upstream URL file:///x has no host a runtime can be configured for");
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
