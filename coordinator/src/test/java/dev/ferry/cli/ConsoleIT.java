package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryProcess;
import dev.ferry.testing.TestImages;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's headless Chromium (driven by Selenium through chromium-driver)
 * against a running standalone with real registries and tokens: no token gets the login form,
 * a viewer token shows every registry in the graph, the route's arrow on its active mirror and
 * a failed job with its reason; killing the active mirror turns its node red and moves the
 * arrow. The test keeps a screenshot of that moment in docs/img/console.png.
 */
class ConsoleIT {

    static final Path SCREENSHOT = Path.of("..", "docs", "img", "console.png");

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirrorB = RegistryExtension.plain();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new HashMap<>();
    private RegistryProcess mirrorA;
    private StandaloneServer server;
    private WebDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (mirrorA != null) {
            mirrorA.close();
        }
    }

    @Test
    void aViewerSeesTheTopologyAFailoverAndAFailedJobsReason(@TempDir Path dir) throws Exception {
        mirrorA = RegistryProcess.plain();
        ListedTokens listed = ListedTokens.create(dir, "ui", "viewer", "admin");
        tokens.put("viewer", listed.token("viewer"));
        tokens.put("admin", listed.token("admin"));
        TestImages images = TestImages.forRegistry(source.registry());
        images.pushOciImage("ui/app", "v1", 71, 1500);
        images.pushOciIndex("ui/multi", "v1", 72, 1200);
        Path schedule = Files.writeString(
                dir.resolve("schedule.yaml"),
                """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true, region: eu-west }
          - name: mirror-a
            url: "%s"
            insecure: true
            region: us-east
            retry: { maxAttempts: 2, initialBackoff: 50ms, maxBackoff: 100ms }
            circuitBreaker: { minimumCalls: 2, openFor: 2s }
            timeouts: { connect: 1s }
          - { name: mirror-b, url: "%s", insecure: true, region: us-east }
        links:
          - { from: eu-west, to: us-east, bandwidth: 20MiB/s }
        policies:
          - name: to-a
            source: { registry: source, repositories: ["ui/app"] }
            targets: [ { registry: mirror-a } ]
            trigger: { manual: true }
          - name: to-b
            source: { registry: source, repositories: ["ui/app"] }
            targets: [ { registry: mirror-b } ]
            trigger: { manual: true }
          - name: s390x-only
            source: { registry: source, repositories: ["ui/multi"] }
            targets: [ { registry: mirror-b } ]
            trigger: { manual: true }
            platforms: [linux/s390x]
        routes:
          - { name: ci, region: us-east, mirrors: [mirror-a, mirror-b] }
        failover: { probeInterval: 1s, probeTimeout: 500ms, downAfter: 2, failbackAfter: 1h }
        api:
          tokens:
        """.formatted(source.url(), mirrorA.url(), mirrorB.url()) + listed.entries());
        server = StandaloneServer.start(dir, schedule);
        for (String policy : List.of("to-a", "to-b", "s390x-only")) {
            call("POST", "/v1/policies/" + policy + "/sync?wait=true", "admin");
        }

        browser = chromium();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // The console redraws its topology every few seconds: an element a wait found can be
        // replaced before the wait reads it. That is "not yet", not a failure.
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(server.url() + "/ui/");
        wait.until(b -> b.findElement(By.id("login")).isDisplayed());
        assertThat(browser.findElement(By.id("console")).isDisplayed())
                .as("no token: only the login form")
                .isFalse();
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("bearer token is required");

        browser.findElement(By.id("token")).sendKeys(tokens.get("viewer"));
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(b -> b.findElements(By.cssSelector("g.registry")).size() == 3);
        for (String name : List.of("source", "mirror-a", "mirror-b")) {
            assertThat(node(name).getAttribute("data-state")).as(name).isEqualTo("healthy");
        }
        wait.until(b -> "mirror-a".equals(arrowTarget()));
        wait.until(b -> b.findElement(By.id("jobs-failed")).getText().contains("no platform of"));
        assertThat(browser.findElement(By.id("jobs-failed")).getText()).contains("linux/s390x");
        assertThat(browser.findElement(By.cssSelector("g.link")).getText()).contains("quota 20 MiB/s");
        assertThat(browser.findElement(By.id("policy-table")).getText())
                .contains("to-a")
                .contains("succeeded");
        assertThat(browser.findElement(By.id("audit")).getText()).contains("tag.write");
        assertThat(browser.getCurrentUrl()).doesNotContain(tokens.get("viewer"));

        mirrorA.close();
        wait.withTimeout(Duration.ofSeconds(60))
                .until(b -> "down".equals(node("mirror-a").getAttribute("data-state")));
        wait.until(b -> "mirror-b".equals(arrowTarget()));
        String fill = node("mirror-a").findElement(By.tagName("circle")).getCssValue("fill");
        assertThat(fill).as("a down registry is drawn red").isEqualTo("rgb(198, 40, 40)");
        assertThat(node("mirror-b").findElement(By.tagName("circle")).getCssValue("fill"))
                .isEqualTo("rgb(46, 125, 50)");
        wait.until(b -> b.findElement(By.id("audit")).getText().contains("registry.failover"));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

        browser.findElement(By.id("signout")).click();
        wait.until(b -> b.findElement(By.id("login")).isDisplayed());
        assertThat(Files.readString(dir.resolve("standalone.log")))
                .doesNotContain(tokens.get("viewer"))
                .doesNotContain(tokens.get("admin"));
    }

    private WebElement node(String registry) {
        return browser.findElement(By.cssSelector("g.registry[data-registry='" + registry + "']"));
    }

    private String arrowTarget() {
        List<WebElement> arrows = browser.findElements(By.cssSelector("line.route-arrow[data-route='ci']"));
        return arrows.isEmpty() ? null : arrows.get(0).getAttribute("data-target");
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private String call(String method, String path, String role) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Authorization", "Bearer " + tokens.get(role))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofMinutes(3))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
