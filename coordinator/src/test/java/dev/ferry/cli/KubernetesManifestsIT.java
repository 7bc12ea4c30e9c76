package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.testing.FreePort;
import dev.ferry.worker.lease.LeaseClient;
import dev.ferry.worker.lease.WorkerLoop;
import dev.ferry.worker.lease.WorkerOptions;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Renders every overlay under k8s/overlays with {@code kubectl kustomize} and checks the objects
 * against the code they deploy: the image and its entrypoint, command lines the picocli model
 * accepts, ports the Services and probes agree on, probe paths that are real routes, a schedule
 * the loader accepts, and the Secrets, dashboards and monitoring objects an installation needs.
 */
class KubernetesManifestsIT {

    static final String IMAGE = "ghcr.io/ferry-dev/ferry:";
    /** Environment the manifests set that no picocli option reads: logback's and the args' own. */
    static final Set<String> ENV_READ_ELSEWHERE =
            Set.of("FERRY_LOG_FORMAT", "FERRY_LOG_LEVEL", "FERRY_REGION", "FERRY_ROUTE");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void anOverlayHasEveryObjectAnInstallationNeeds(String overlay) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        assertThat(r.one("StatefulSet", "ferry-coordinator")).isNotNull();
        assertThat(r.all("Deployment", o -> RenderedOverlay.component(o).equals("worker")))
                .isNotEmpty();
        assertThat(r.all("DaemonSet", o -> RenderedOverlay.component(o).equals("route-agent")))
                .isNotEmpty();
        for (String kind :
                List.of("ServiceAccount", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PrometheusRule")) {
            assertThat(r.all(kind)).as(kind + " in " + overlay).isNotEmpty();
        }
        r.one("Service", "ferry-api");
        assertThat(r.one("Service", "ferry-coordinator-hz")
                        .path("spec")
                        .path("clusterIP")
                        .asText())
                .isEqualTo("None");
        for (JsonNode pdb : r.all("PodDisruptionBudget")) {
            assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void containersRunTheImagesEntrypointWithCommandLinesTheCliAccepts(String overlay) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        assertThat(dockerfile)
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/ferry/ferry.jar\"]")
                .contains("COPY coordinator/target/ferry.jar /opt/ferry/ferry.jar")
                .contains(IMAGE);
        List<JsonNode> all =
                new ArrayList<>(r.containers("StatefulSet", "coordinator").values());
        all.addAll(r.containers("Deployment", "worker").values());
        all.addAll(r.containers("DaemonSet", "route-agent").values());
        for (JsonNode c : all) {
            assertThat(c.path("image").asText()).startsWith(IMAGE);
            assertThat(c.has("command"))
                    .as("the image's entrypoint runs ferry.jar")
                    .isFalse();
            CommandLine.ParseResult parsed = new CommandLine(new FerryMain()).parseArgs(ContainerSpec.args(c));
            CommandLine sub = parsed.subcommand().commandSpec().commandLine();
            assertThat(sub.getCommandName()).isEqualTo(c.path("name").asText());
            String options = envDefaults(sub.getCommandSpec().userObject().getClass());
            for (String var : ContainerSpec.env(c).keySet()) {
                if (var.startsWith("FERRY_") && !ENV_READ_ELSEWHERE.contains(var)) {
                    assertThat(options)
                            .as("an option of ferry %s reads %s", sub.getCommandName(), var)
                            .contains("${env:" + var);
                }
            }
            assertThat(ContainerSpec.env(c).get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
            JsonNode res = c.path("resources");
            assertThat(res.path("limits").path("memory").asText())
                    .isEqualTo(res.path("requests").path("memory").asText())
                    .isNotEmpty();
            assertThat(res.path("requests").path("cpu").asText()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void coordinatorPortsServicesAndDiscoveryAgree(String overlay) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        JsonNode set = r.one("StatefulSet", "ferry-coordinator");
        JsonNode c = r.containers("StatefulSet", "coordinator").get("ferry-coordinator");
        CoordinatorCommand cmd = parse(c, CoordinatorCommand.class);
        String[] api = Addresses.hostPort(cmd.api, "--api");
        assertThat(api[0]).as("reachable from other pods").isEqualTo("0.0.0.0");
        assertThat(Integer.parseInt(api[1])).isEqualTo(ContainerSpec.port(c, "api"));
        assertThat(cmd.clusterPort).isEqualTo(ContainerSpec.port(c, "hazelcast"));
        assertThat(cmd.clusterHost).isEqualTo(ContainerSpec.POD_IP);
        assertThat(cmd.members).isEmpty();

        Map<String, String> env = ContainerSpec.env(c);
        JsonNode hz = r.one("Service", env.get("FERRY_HAZELCAST_KUBERNETES_SERVICE_DNS"));
        assertThat(hz.path("spec").path("publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(hz.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(cmd.clusterPort);
        assertThat(set.path("spec").path("serviceName").asText())
                .isEqualTo(hz.path("metadata").path("name").asText());
        assertThat(set.path("spec").path("podManagementPolicy").asText()).isEqualTo("Parallel");
        assertThat(Integer.parseInt(env.get("FERRY_CLUSTER_SIZE")))
                .isEqualTo(set.path("spec").path("replicas").asInt())
                .isEqualTo(overlay.equals("dev") ? 1 : 3);

        JsonNode apiService =
                r.one("Service", "ferry-api").path("spec").path("ports").get(0);
        assertThat(apiService.path("targetPort").asText()).isEqualTo("api");
        assertThat(set.path("spec")
                        .path("template")
                        .path("spec")
                        .path("serviceAccountName")
                        .asText())
                .isEqualTo(r.one("ServiceAccount", "ferry")
                        .path("metadata")
                        .path("name")
                        .asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void scheduleIsValidAndMountedWhereConfigPoints(String overlay, @TempDir Path dir) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        JsonNode set = r.one("StatefulSet", "ferry-coordinator");
        JsonNode c = r.containers("StatefulSet", "coordinator").get("ferry-coordinator");
        Path config = parse(c, CoordinatorCommand.class).config;
        String volume = ContainerSpec.volumeHolding(c, config.toString());
        JsonNode configMapRef = volume(set, volume).path("configMap");
        JsonNode configMap = r.one("ConfigMap", configMapRef.path("name").asText());
        String text =
                configMap.path("data").path(config.getFileName().toString()).asText();
        Path file = Files.writeString(dir.resolve("schedule.yaml"), text);
        assertThat(ScheduleLoader.load(file).policies()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void workersReachTheApiServiceFromTheirRegionAndDrainInTheirGracePeriod(String overlay) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        JsonNode apiPort =
                r.one("Service", "ferry-api").path("spec").path("ports").get(0);
        boolean tls = overlay.equals("prod");
        Set<String> regions = new TreeSet<>();
        for (JsonNode w : r.all("Deployment", o -> RenderedOverlay.component(o).equals("worker"))) {
            JsonNode c = w.path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .get(0);
            WorkerCommand cmd = parse(c, WorkerCommand.class);
            URI url = URI.create(cmd.coordinator);
            assertThat(url.getScheme()).isEqualTo(tls ? "https" : "http");
            assertThat(url.getHost()).isEqualTo("ferry-api");
            assertThat(url.getPort()).isEqualTo(apiPort.path("port").asInt());
            assertThat(Integer.parseInt(Addresses.hostPort(cmd.metricsAddress, "--metrics")[1]))
                    .isEqualTo(ContainerSpec.port(c, "metrics"));
            regions.add(cmd.region);
            JsonNode affinity = w.path("spec")
                    .path("template")
                    .path("spec")
                    .path("affinity")
                    .path("nodeAffinity");
            if (tls) {
                assertThat(affinity.findValues("values")).hasSize(1);
                assertThat(affinity.findValues("values").get(0))
                        .extracting(JsonNode::asText)
                        .containsExactly(cmd.region);
                assertThat(ContainerSpec.volumeHolding(c, cmd.tokenFile.toString()))
                        .isEqualTo("worker-token");
                assertThat(volume(w, "worker-token")
                                .path("secret")
                                .path("secretName")
                                .asText())
                        .isEqualTo("ferry-worker-token");
            }
            int grace = w.path("spec")
                    .path("template")
                    .path("spec")
                    .path("terminationGracePeriodSeconds")
                    .asInt();
            int drain = Integer.parseInt(ContainerSpec.env(c).get("FERRY_DRAIN_TIMEOUT"));
            assertThat(grace).isGreaterThanOrEqualTo(drain + WorkerCommand.HAND_BACK_SECONDS);
        }
        assertThat(regions).hasSize(tls ? 2 : 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void routeAgentsFollowTheirRegionsRouteOverTheApiServiceAndWriteTheNodesRuntimeFiles(
            String overlay, @TempDir Path dir) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        boolean tls = overlay.equals("prod");
        JsonNode apiPort =
                r.one("Service", "ferry-api").path("spec").path("ports").get(0);
        Map<String, String> routeRegions = new java.util.HashMap<>();
        schedule(r, dir).routes().forEach(route -> routeRegions.put(route.name(), route.region()));
        String workerRegion =
                parse(r.containers("Deployment", "worker").values().iterator().next(), WorkerCommand.class).region;
        Set<String> regions = new TreeSet<>();
        for (JsonNode ds : r.all("DaemonSet", o -> RenderedOverlay.component(o).equals("route-agent"))) {
            JsonNode c = ds.path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .get(0);
            RouteAgentCommand cmd = parse(c, RouteAgentCommand.class);
            URI url = URI.create(cmd.server);
            assertThat(url.getScheme()).isEqualTo(tls ? "https" : "http");
            assertThat(url.getHost()).isEqualTo("ferry-api");
            assertThat(url.getPort()).isEqualTo(apiPort.path("port").asInt());
            assertThat(cmd.routes).hasSize(1);
            String region = routeRegions.get(cmd.routes.get(0));
            assertThat(region)
                    .as("route %s is in the schedule", cmd.routes.get(0))
                    .isNotNull();
            regions.add(region);
            JsonNode affinity = ds.path("spec")
                    .path("template")
                    .path("spec")
                    .path("affinity")
                    .path("nodeAffinity");
            if (tls) {
                assertThat(affinity.findValues("values").get(0))
                        .as("nodes of the route's region")
                        .extracting(JsonNode::asText)
                        .containsExactly(region);
                assertThat(volume(ds, ContainerSpec.volumeHolding(c, cmd.tokenFile.toString()))
                                .path("secret")
                                .path("secretName")
                                .asText())
                        .isEqualTo("ferry-route-agent-token");
                JsonNode ca = volume(ds, ContainerSpec.volumeHolding(c, cmd.caFile.toString()))
                        .path("secret");
                assertThat(ca.path("secretName").asText()).isEqualTo("ferry-api-tls");
                assertThat(ca.path("items").findValuesAsText("key"))
                        .as("the CA only, never the API's key")
                        .containsExactly("ca.crt");
            } else {
                assertThat(region)
                        .as("the dev route is the dev worker's region")
                        .isEqualTo(workerRegion);
            }
            assertThat(volume(ds, ContainerSpec.volumeHolding(c, cmd.containerdDir + "/host:5000/hosts.toml"))
                            .path("hostPath")
                            .path("path")
                            .asText())
                    .isEqualTo("/etc/containerd/certs.d");
            assertThat(volume(ds, ContainerSpec.volumeHolding(c, cmd.registriesDir + "/ferry-x.conf"))
                            .path("hostPath")
                            .path("path")
                            .asText())
                    .isEqualTo("/etc/containers/registries.conf.d");
            assertThat(Integer.parseInt(Addresses.hostPort(cmd.metricsAddress, "--metrics")[1]))
                    .isEqualTo(ContainerSpec.port(c, "metrics"));
            assertThat(cmd.once).as("a DaemonSet's agent keeps following").isFalse();
        }
        assertThat(regions).hasSize(tls ? 2 : 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesHitRealRoutes(String overlay) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        JsonNode openapi =
                new YAMLMapper().readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        JsonNode c = r.containers("StatefulSet", "coordinator").get("ferry-coordinator");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/ready");
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health/live");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = c.path(probe).path("httpGet");
            // docs/openapi.yaml lists exactly the router's routes (OpenApiConsistencyTest).
            assertThat(openapi.path("paths").path(get.path("path").asText()).has("get"))
                    .as(probe)
                    .isTrue();
            assertThat(get.path("port").asText()).isEqualTo("api");
            assertThat(get.path("scheme").asText("HTTP")).isEqualTo(overlay.equals("prod") ? "HTTPS" : "HTTP");
        }
        for (JsonNode w : r.containers("Deployment", "worker").values()) {
            List<String> paths = List.of(
                    w.path("livenessProbe").path("httpGet").path("path").asText(),
                    w.path("readinessProbe").path("httpGet").path("path").asText(),
                    w.path("lifecycle")
                            .path("preStop")
                            .path("httpGet")
                            .path("path")
                            .asText());
            assertThat(paths).containsExactly("/health/live", "/health/ready", "/drain");
            assertThat(workerServerAnswers(paths))
                    .as("status of each path on a real worker's metrics server")
                    .containsOnly(200);
        }
        for (JsonNode a : r.containers("DaemonSet", "route-agent").values()) {
            List<String> paths = List.of(
                    a.path("livenessProbe").path("httpGet").path("path").asText(),
                    a.path("readinessProbe").path("httpGet").path("path").asText());
            assertThat(paths).containsExactly("/health/live", "/health/ready");
            assertThat(a.path("livenessProbe").path("httpGet").path("port").asText())
                    .isEqualTo("metrics");
            assertThat(routeAgentServerAnswers(paths))
                    .as("status of each path on a real route agent's server, synced")
                    .containsOnly(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void prometheusAndGrafanaGetEveryEndpointAndDashboard(String overlay) throws Exception {
        RenderedOverlay r = RenderedOverlay.render(overlay);
        JsonNode monitor = r.one("ServiceMonitor", "ferry");
        List<String> ports = monitor.path("spec").path("endpoints").findValuesAsText("port");
        assertThat(ports).containsExactlyInAnyOrder("api", "metrics");
        JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
        for (JsonNode svc : List.of(
                r.one("Service", "ferry-api"),
                r.all("Service", s -> s.path("metadata").path("name").asText().startsWith("ferry-worker-metrics"))
                        .get(0),
                r.all("Service", s -> s.path("metadata").path("name").asText().startsWith("ferry-route-agent-metrics"))
                        .get(0))) {
            selector.fields()
                    .forEachRemaining(l -> assertThat(svc.path("metadata")
                                    .path("labels")
                                    .path(l.getKey())
                                    .asText())
                            .isEqualTo(l.getValue().asText()));
        }
        JsonNode dashboards = r.one("ConfigMap", "ferry-grafana-dashboards");
        assertThat(dashboards
                        .path("metadata")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText())
                .isEqualTo("1");
        List<String> files;
        try (Stream<Path> s = Files.list(RenderedOverlay.K8S.resolve("grafana"))) {
            files = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .toList();
        }
        assertThat(files).isNotEmpty();
        List<String> keys = new ArrayList<>();
        dashboards.path("data").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(files);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void thePrometheusRuleCarriesExactlyTheGroupsOfTheRulesFile(String overlay) throws Exception {
        JsonNode rule = RenderedOverlay.render(overlay).one("PrometheusRule", "ferry");
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/part-of")
                        .asText())
                .isEqualTo("ferry");
        JsonNode file = new YAMLMapper()
                .readTree(RenderedOverlay.K8S
                        .resolve("prometheus")
                        .resolve("ferry-rules.yaml")
                        .toFile());
        assertThat(file.path("groups").size()).isGreaterThanOrEqualTo(2);
        assertThat(rule.path("spec").path("groups"))
                .as(
                        "k8s/base/prometheusrule.yaml's groups equal k8s/prometheus/ferry-rules.yaml's; regenerate it as its"
                                + " header says")
                .isEqualTo(file.path("groups"));
    }

    /** The raw default values of a command's options, where {@code ${env:NAME}} names what it reads. */
    private static String envDefaults(Class<?> command) {
        return Stream.of(command.getDeclaredFields())
                .map(f -> f.getAnnotation(CommandLine.Option.class))
                .filter(o -> o != null)
                .map(CommandLine.Option::defaultValue)
                .toList()
                .toString();
    }

    private static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode v : workload.path("spec").path("template").path("spec").path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name + " in "
                + workload.path("metadata").path("name").asText());
    }

    private static <T> T parse(JsonNode container, Class<T> type) {
        CommandLine.ParseResult parsed = new CommandLine(new FerryMain()).parseArgs(ContainerSpec.args(container));
        return type.cast(parsed.subcommand().commandSpec().userObject());
    }

    private static dev.ferry.config.model.Schedule schedule(RenderedOverlay r, Path dir) throws Exception {
        JsonNode c = r.containers("StatefulSet", "coordinator").get("ferry-coordinator");
        Path config = parse(c, CoordinatorCommand.class).config;
        String name = volume(
                        r.one("StatefulSet", "ferry-coordinator"), ContainerSpec.volumeHolding(c, config.toString()))
                .path("configMap")
                .path("name")
                .asText();
        String text = r.one("ConfigMap", name)
                .path("data")
                .path(config.getFileName().toString())
                .asText();
        return ScheduleLoader.load(Files.writeString(dir.resolve("schedule.yaml"), text));
    }

    /** Statuses of {@code paths} on a route agent's server once its route has been written. */
    private static List<Integer> routeAgentServerAnswers(List<String> paths) throws Exception {
        Path dir = Files.createTempDirectory("route-agent-probe");
        Vertx vertx = Vertx.vertx();
        try {
            dev.ferry.coordinator.health.RouteView route = new dev.ferry.coordinator.health.RouteView(
                    "nodes",
                    "r",
                    List.of(),
                    List.of(),
                    "hub",
                    "http://127.0.0.1:5000",
                    "test",
                    List.of(new dev.ferry.coordinator.health.RouteView.Candidate(
                            "hub", "http://127.0.0.1:5000", "healthy", true, true, 0, 0, true, "ok")),
                    1L);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            dev.ferry.agent.RouteAgent agent = new dev.ferry.agent.RouteAgent(
                    List.of("nodes"),
                    (name, etag, wait) -> new dev.ferry.agent.RouteSource.Answer(route, "\"e\""),
                    new dev.ferry.agent.RouteFiles(dir.resolve("certs.d"), dir.resolve("registries.conf.d")),
                    new dev.ferry.agent.AgentMetrics(registry),
                    java.time.Clock.systemUTC());
            agent.once();
            int port = FreePort.forListener();
            dev.ferry.agent.AgentServer.start(vertx, registry, agent::statuses, "127.0.0.1", port)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            HttpClient http = HttpClient.newHttpClient();
            List<Integer> statuses = new ArrayList<>();
            for (String path : paths) {
                statuses.add(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            }
            return statuses;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<Integer> workerServerAnswers(List<String> paths) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            LeaseClient client = new LeaseClient(vertx, "http://127.0.0.1:9", null);
            WorkerLoop loop = new WorkerLoop(
                    vertx, client, WorkerOptions.of("probe-check", "local", 1), new CompositeMeterRegistry());
            int port = FreePort.forListener();
            MetricsServer.start(
                            vertx,
                            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                            loop,
                            Duration.ZERO,
                            "127.0.0.1",
                            port)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            HttpClient http = HttpClient.newHttpClient();
            List<Integer> statuses = new ArrayList<>();
            for (String path : paths) {
                statuses.add(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            }
            return statuses;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
