package dev.ferry.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.load.ScheduleLoader;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class AdminServiceTest {

    @TempDir
    Path dir;

    private final List<AuditTrail.Event> events = new CopyOnWriteArrayList<>();
    private final List<Schedule> applied = new CopyOnWriteArrayList<>();
    private final String adminToken = TokenHash.newToken(new SecureRandom());
    private Path file;
    private ReloadableSchedule schedule;
    private ApiSecurity security;
    private AdminService admin;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        file = dir.resolve("ferry.yaml");
        Files.write(dir.resolve("token.key"), new byte[32]);
        write("one", adminToken);
        Schedule initial = ScheduleLoader.load(file);
        schedule = new ReloadableSchedule(initial);
        security = ApiSecurity.load(initial, "0.0.0.0", 0, null, Clock.systemUTC());
        AuditTrail audit = event -> {
            events.add(event);
            return Future.succeededFuture();
        };
        admin = new AdminService(
                vertx, security, schedule, () -> ScheduleLoader.load(file), audit, Clock.systemUTC(), applied::add);
    }

    private void write(String policy, String token) throws Exception {
        String tokens = token == null ? "" : """
        api:
          tokenKeyFile: token.key
          tokens: [ { name: root, role: admin, sha256: %s } ]
        """.formatted(TokenHash.sha256(token));
        Files.writeString(file, """
        version: 1
        registries:
          - { name: hub, url: https://hub.example.com }
          - { name: mirror, url: https://mirror.example.com }
        policies:
          - { name: %s, trigger: { manual: true }, source: { registry: hub, repositories: [app] }, targets: [ { registry: mirror } ] }
        """.formatted(policy) + tokens);
    }

    @Test
    @DisplayName("a valid file is swapped in, its tokens take effect, and the reload is audited")
    void validReload() throws Exception {
        String newToken = TokenHash.newToken(new SecureRandom());
        write("two", newToken);

        Map<String, Object> answer = admin.reloadConfig("root").await(10, TimeUnit.SECONDS);

        assertThat(answer).containsEntry("applied", true);
        assertThat(schedule.current().policy("two")).isPresent();
        assertThat(applied).hasSize(1);
        assertThat(security.authenticator().check(newToken).accepted()).isTrue();
        assertThat(security.authenticator().check(adminToken).accepted())
                .as("the old token is revoked")
                .isFalse();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("root");
            assertThat(e.action()).isEqualTo("config.reload");
            assertThat(e.details()).containsEntry("policies", "+1 -1 ~0");
        });
    }

    @Test
    @DisplayName("an invalid file, or one without tokens on a non-loopback API, never replaces the running schedule")
    void invalidReloadKeepsTheOld() throws Exception {
        Files.writeString(file, "version: 1\nregistries: [ { name: hub } ]\n");
        Throwable broken = admin.reloadConfig("root")
                .transform(Future::succeededFuture)
                .await(10, TimeUnit.SECONDS)
                .cause();
        assertThat(broken).isInstanceOf(ApiException.class).hasMessageContaining("ferry.yaml:2");
        assertThat(((ApiException) broken).status()).isEqualTo(422);

        write("two", null);
        Throwable open = admin.reloadConfig("root")
                .transform(Future::succeededFuture)
                .await(10, TimeUnit.SECONDS)
                .cause();
        assertThat(open).hasMessageContaining("dev mode is for loopback only");

        assertThat(schedule.current().policy("one")).isPresent();
        assertThat(security.authenticator().check(adminToken).accepted()).isTrue();
        assertThat(applied).isEmpty();
        assertThat(events)
                .extracting(AuditTrail.Event::action)
                .containsExactly("config.reload.refused", "config.reload.refused");
    }

    @Test
    @DisplayName("on loopback too, a reload that would remove every token is refused with 422 and the tokens stay")
    void reloadCannotSwitchAuthenticationOff(Vertx vertx) throws Exception {
        ApiSecurity loopback = ApiSecurity.load(schedule.current(), "127.0.0.1", 0, null, Clock.systemUTC());
        AdminService onLoopback = new AdminService(
                vertx,
                loopback,
                schedule,
                () -> ScheduleLoader.load(file),
                event -> {
                    events.add(event);
                    return Future.succeededFuture();
                },
                Clock.systemUTC(),
                applied::add);
        write("two", null);

        Throwable refused = onLoopback
                .reloadConfig("root")
                .transform(Future::succeededFuture)
                .await(10, TimeUnit.SECONDS)
                .cause();

        assertThat(refused)
                .isInstanceOf(ApiException.class)
                .hasMessage(
                        "the schedule was not reloaded; the running one"
                                + " stays: the new schedule lists no api.tokens, and the running API requires them: a reload never switches"
                                + " authentication off; to run in dev mode (loopback only), restart the coordinator with that schedule");
        assertThat(((ApiException) refused).status()).isEqualTo(422);
        assertThat(loopback.authenticator().devMode()).isFalse();
        assertThat(loopback.authenticator().check(adminToken).accepted()).isTrue();
        assertThat(schedule.current().policy("one")).isPresent();
        assertThat(applied).isEmpty();
        assertThat(events).extracting(AuditTrail.Event::action).containsExactly("config.reload.refused");
    }

    @Test
    @DisplayName("a minted token works at once, is audited without its text, and only appears in the answer")
    void mint() throws Exception {
        Map<String, Object> answer = admin.mintToken("root", "ci-job", "operator", Duration.ofMinutes(10))
                .await(10, TimeUnit.SECONDS);

        String token = (String) answer.get("token");
        assertThat(security.authenticator().check(token).caller()).isEqualTo(new Caller("ci-job", Role.OPERATOR));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("token.mint");
            assertThat(e.subject()).isEqualTo("token/ci-job");
            assertThat(e.toString()).doesNotContain(token);
        });
    }
}
