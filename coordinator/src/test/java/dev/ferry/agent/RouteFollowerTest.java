package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.health.RouteView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFollowerTest {

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);
    private final FakeSource source = new FakeSource();

    private static final String[] MIRRORS = {
        "mirror-a=http://127.0.0.1:5101", "mirror-b=http://127.0.0.1:5102", "hub=http://127.0.0.1:5100"
    };

    /** Answers from a queue: a route, null for 304, or a failure. */
    static final class FakeSource implements RouteSource {
        final Deque<Object> answers = new ArrayDeque<>();
        final List<String> etagsSent = new ArrayList<>();

        @Override
        public Answer poll(String route, String etag, Duration wait) throws RouteFetchException {
            etagsSent.add(etag);
            Object next = answers.removeFirst();
            if (next instanceof RouteFetchException e) {
                throw e;
            }
            if (next instanceof RouteView v) {
                return new Answer(v, "\"" + v.active() + "\"");
            }
            return null;
        }
    }

    private RouteAgent agent(List<String> routes, AtomicFiles files) {
        return new RouteAgent(
                routes,
                source,
                new RouteFiles(dir.resolve("certs.d"), dir.resolve("registries.conf.d")),
                files,
                new AgentMetrics(registry),
                clock);
    }

    private Path hosts() {
        return dir.resolve("certs.d/127.0.0.1:5100/hosts.toml");
    }

    private Path dropIn() {
        return dir.resolve("registries.conf.d/ferry-ci.conf");
    }

    @Test
    void writesBothFilesOnTheFirstAnswerAndOnlyWhatChangesAfter() throws Exception {
        RouteAgent agent = agent(List.of("ci"), new AtomicFiles());
        assertThat(registry.scrape())
                .as("series exist at 0 before the first poll")
                .contains("ferry_route_agent_polls_total{outcome=\"changed\",route=\"ci\"} 0.0")
                .contains("ferry_route_agent_current{route=\"ci\"} 0.0");
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        RouteStatus.Snapshot first = agent.once().get(0);
        assertThat(first.synced()).isTrue();
        assertThat(first.active()).isEqualTo("mirror-a");
        assertThat(first.files()).containsExactly(hosts().toString(), dropIn().toString());
        assertThat(Files.readString(hosts())).contains("[host.\"http://127.0.0.1:5101\"]");
        assertThat(Files.readString(dropIn())).contains("location = \"127.0.0.1:5101\"");

        source.answers.add(Routes.route("ci", "mirror-b", List.of("mirror-a"), MIRRORS));
        agent.once();
        assertThat(source.etagsSent).containsExactly(null, "\"mirror-a\"");
        assertThat(Files.readString(hosts())).doesNotContain("5101").contains("[host.\"http://127.0.0.1:5102\"]");
        source.answers.add("304");
        assertThat(agent.once().get(0).current()).isTrue();
        assertThat(registry.scrape())
                .contains("ferry_route_agent_writes_total{file=\"hosts.toml\",route=\"ci\"} 2.0")
                .contains("ferry_route_agent_writes_total{file=\"registries.conf\",route=\"ci\"} 2.0")
                .contains("ferry_route_agent_polls_total{outcome=\"unchanged\",route=\"ci\"} 1.0")
                .contains("ferry_route_agent_current{route=\"ci\"} 1.0")
                .contains("ferry_route_agent_last_success_timestamp_seconds{route=\"ci\"} 1.7965368E9");
    }

    @Test
    void anUnreachableApiKeepsTheLastGoodFilesAndSaysWhy() throws Exception {
        RouteAgent agent = agent(List.of("ci"), new AtomicFiles());
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        agent.once();
        String good = Files.readString(hosts());
        source.answers.add(new RouteFetchException("route ci: cannot reach http://api:8080: Connection refused", 0));
        RouteStatus.Snapshot s = agent.once().get(0);
        assertThat(Files.readString(hosts())).isEqualTo(good);
        assertThat(s.synced()).isTrue();
        assertThat(s.current()).isFalse();
        assertThat(s.consecutiveFailures()).isEqualTo(1);
        assertThat(s.lastError()).isEqualTo("route ci: cannot reach http://api:8080: Connection refused");
        assertThat(registry.scrape())
                .contains("ferry_route_agent_current{route=\"ci\"} 0.0")
                .contains("ferry_route_agent_consecutive_failures{route=\"ci\"} 1.0");
    }

    @Test
    void aFailedWriteIsRetriedBecauseTheEtagIsNotTaken() throws Exception {
        boolean[] fail = {true};
        AtomicFiles flaky = new AtomicFiles((out, bytes) -> {
            if (fail[0]) {
                throw new IOException("Read-only file system");
            }
            out.write(bytes);
        });
        RouteAgent agent = agent(List.of("ci"), flaky);
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        RouteStatus.Snapshot s = agent.once().get(0);
        assertThat(s.synced()).isFalse();
        assertThat(s.lastError())
                .startsWith("route ci: cannot write " + hosts())
                .endsWith("Read-only file system");
        assertThat(hosts()).doesNotExist();
        fail[0] = false;
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        assertThat(agent.once().get(0).synced()).isTrue();
        assertThat(source.etagsSent).containsExactly(null, null);
        assertThat(hosts()).exists();
    }

    @Test
    void anAnswerThatCannotBeRenderedLeavesTheFilesAlone() throws Exception {
        RouteAgent agent = agent(List.of("ci"), new AtomicFiles());
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        agent.once();
        String good = Files.readString(dropIn());
        source.answers.add(new RouteView("ci", "eu", List.of(), List.of(), null, null, "?", List.of(), 2L));
        assertThat(agent.once().get(0).lastError()).isEqualTo("route ci has no mirrors");
        assertThat(Files.readString(dropIn())).isEqualTo(good);
    }

    @Test
    void twoRoutesWithTheSameUpstreamDoNotOverwriteEachOther() throws Exception {
        RouteAgent agent = agent(List.of("ci", "batch"), new AtomicFiles());
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        source.answers.add(Routes.route("batch", "mirror-b", List.of(), MIRRORS));
        List<RouteStatus.Snapshot> all = agent.once();
        assertThat(all.get(0).synced()).isTrue();
        assertThat(all.get(1).synced()).isFalse();
        assertThat(all.get(1).lastError())
                .isEqualTo("route batch would write " + hosts() + ", which route ci writes"
                        + " (both routes have the same upstream host; a node can follow only one of them)");
        assertThat(Files.readString(hosts())).startsWith("# Ferry route ci ");
    }

    @Test
    void aNewUpstreamHostRemovesTheFileWrittenForTheOldOne() throws Exception {
        RouteAgent agent = agent(List.of("ci"), new AtomicFiles());
        source.answers.add(Routes.route("ci", "mirror-a", List.of(), MIRRORS));
        agent.once();
        source.answers.add(Routes.route(
                "ci", "mirror-a", List.of(), "mirror-a=http://127.0.0.1:5101", "hub2=http://127.0.0.1:5200"));
        agent.once();
        assertThat(hosts()).doesNotExist();
        assertThat(dir.resolve("certs.d/127.0.0.1:5200/hosts.toml")).exists();
        assertThat(Files.readString(dropIn())).contains("prefix = \"127.0.0.1:5200\"");
    }

    @Test
    void everyRouteAgentMetricTheDocsListIsExported() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "metrics.md"));
        String section = docs.substring(docs.indexOf("## Route agent"), docs.indexOf("## Vert.x"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("`(ferry_route_agent_[a-z_]+)`").matcher(section);
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).hasSize(5);
        agent(List.of("ci"), new AtomicFiles());
        String scrape = registry.scrape();
        for (String name : documented) {
            assertThat(scrape).as(name).containsPattern("(?m)^" + name + "\\{");
        }
    }
}
