package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ferry ctl} against a canned control API: what each command sends through
 * {@link ControlClient}, what it prints for a person, and that {@code --json} prints the API's
 * answer as it is.
 */
class CtlCommandTest {

    private static final String RUN = """
      {"run":"r-42","policy":"apps","state":"succeeded","counts":{"planned":3,"upToDate":1,"succeeded":2},
       "error":null}""";
    private static final String JOBS = """
      [{"id":"j1","policy":"apps","run":"r-42","tier":"high","state":"failed","source":"hub/team/a:v1",
        "target":"mirror/m/team/a:v1","attempts":3,"lastError":"blob unknown to registry"}]""";
    private static final String ROLLBACK = """
      {"rollback":"rollback-1","tags":[{"registry":"mirror","repository":"m/web","tag":"v1",
        "from":"sha256:bbb","to":"sha256:aaa","job":"j9"}],"skipped":[]}""";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> answers = Map.of(
            "POST /v1/policies/apps/sync?wait=true", RUN,
            "GET /v1/jobs?limit=100&state=failed&policy=apps", JOBS,
            "POST /v1/rollback", ROLLBACK);
    private HttpServer api;
    private String url;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(key + (body.isEmpty() ? "" : " " + body));
            String answer = answers.get(key);
            int status = answer == null ? 404 : 200;
            byte[] bytes = (answer != null
                            ? answer
                            : "{\"error\":{\"code\":\"not_found\",\"message\":\"policy \\\"nope\\\" not found\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        api.start();
        url = "http://127.0.0.1:" + api.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    private int ctl(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        all[1] = "--server";
        all[2] = url;
        System.arraycopy(args, 0, all, 3, args.length);
        return new CommandLine(new FerryMain())
                .setExecutionExceptionHandler(new ExitCodes())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all);
    }

    @Test
    void syncPrintsTheRunForAPersonAndExitsByItsState() {
        assertThat(ctl("sync", "--policy", "apps", "--wait")).isZero();

        assertThat(requests).containsExactly("POST /v1/policies/apps/sync?wait=true");
        assertThat(out.toString())
                .isEqualTo("run r-42 of apps: succeeded planned=3 upToDate=1 succeeded=2" + System.lineSeparator());
    }

    @Test
    void withJsonACommandPrintsTheApisAnswerAsItIs() throws Exception {
        assertThat(ctl("sync", "--policy", "apps", "--wait", "--json")).isZero();

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(out.toString())).isEqualTo(json.readTree(RUN));
    }

    @Test
    void jobsSendsItsFiltersAndPrintsAJobPerLineWithItsLastError() {
        assertThat(ctl("jobs", "--state", "failed", "--policy", "apps")).isZero();

        assertThat(requests).containsExactly("GET /v1/jobs?limit=100&state=failed&policy=apps");
        assertThat(out.toString())
                .contains("STATE")
                .contains("failed     high      3        hub/team/a:v1 -> " + "mirror/m/team/a:v1")
                .contains("blob unknown to registry");
    }

    @Test
    void rollbackOfOneTagSendsItAndPrintsWhatGoesBack() {
        assertThat(ctl("rollback", "--registry", "mirror", "--repository", "m/web", "--tag", "v1"))
                .isZero();

        assertThat(requests)
                .containsExactly("POST /v1/rollback {\"registry\":\"mirror\",\"repository\":\"m/web\",\"tag\":\"v1\"}");
        assertThat(out.toString())
                .contains("rollback rollback-1: 1 tag(s) going back, pinned")
                .contains("mirror m/web:v1: sha256:bbb -> sha256:aaa");
    }

    @Test
    void anApiErrorExitsOneWithTheApisMessage() {
        assertThat(ctl("pause", "--policy", "nope")).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("policy \"nope\" not found");
    }

    @Test
    void theClientCarriesTheStatusAndCodeOfAnError() {
        assertThatThrownBy(() -> ControlClient.of(url).pause("nope"))
                .isInstanceOfSatisfying(ControlClient.ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.getMessage()).isEqualTo("policy \"nope\" not found");
                });
    }
}
