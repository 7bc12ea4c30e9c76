package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry ctl}: runbook commands, each a thin call of the control API. */
@Command(name = "ctl", mixinStandardHelpOptions = true,
    description = "Runbook commands over the control API.",
    subcommands = {RunbookCommands.Status.class, CtlCommand.Sync.class, CtlCommand.Pause.class,
        CtlCommand.Resume.class, CtlCommand.Jobs.class, CtlCommand.History.class, CtlCommand.Rollback.class,
        CtlCommand.Pins.class, CtlCommand.Unpin.class, CtlCommand.DriftCmd.class, CtlCommand.Links.class,
        CtlCommand.Cancel.class, RunbookCommands.Registries.class, RunbookCommands.Routes.class,
        RunbookCommands.Failover.class, RunbookCommands.Failback.class, RunbookCommands.Drain.class,
        RunbookCommands.Drill.class, AuditCommand.class, ReportCommand.class})
final class CtlCommand {

  @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "a coordinator's API (default: ${DEFAULT-VALUE})", scope = picocli.CommandLine.ScopeType.INHERIT)
  String server;

  @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the API token",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  Path tokenFile;

  @Option(names = "--ca-file", paramLabel = "FILE",
      description = "PEM CA certificate(s) to trust for an https server (default: the JVM's trust store)",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  Path caFile;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Sends one request; 2xx gives the body (possibly empty), anything else exits 1 with the API's message. */
  JsonNode call(String method, String path, Duration timeout) {
    return call(method, path, null, timeout);
  }

  /** As above, sending {@code body} as JSON when it is not null. */
  JsonNode call(String method, String path, JsonNode body, Duration timeout) {
    HttpResponse<String> resp = send(method, path, body, timeout);
    JsonNode answer = null;
    try {
      answer = resp.body().isBlank() ? null : JSON.readTree(resp.body());
    } catch (IOException e) {
      // Not JSON: reported below by status.
    }
    if (resp.statusCode() / 100 != 2) {
      String message = answer != null ? answer.path("error").path("message").asText("HTTP " + resp.statusCode())
          : "HTTP " + resp.statusCode();
      throw new IllegalStateException(message);
    }
    return answer;
  }

  /** A GET whose 2xx answer is text (not JSON); anything else exits 1 with the API's message. */
  String text(String path, Duration timeout) {
    HttpResponse<String> resp = send("GET", path, null, timeout);
    if (resp.statusCode() / 100 != 2) {
      String message = "HTTP " + resp.statusCode();
      try {
        message = JSON.readTree(resp.body()).path("error").path("message").asText(message);
      } catch (IOException e) {
        // Not JSON: the status says it.
      }
      throw new IllegalStateException(message);
    }
    return resp.body();
  }

  private HttpResponse<String> send(String method, String path, JsonNode body, Duration timeout) {
    String token = null;
    if (tokenFile != null) {
      token = SecretFiles.read(tokenFile, "--token-file");
    }
    URI uri;
    try {
      uri = URI.create(server.replaceAll("/+$", "") + path);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.UsageException("--server is not a URL: " + server);
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> resp;
    try {
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
      if (caFile != null) {
        client.sslContext(PemTrust.sslContext(caFile));
      }
      resp = client.build()
          .send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + server + ": " + Errors.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    return resp;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void print(CommandSpec spec, JsonNode node) {
    try {
      spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (IOException e) {
      spec.commandLine().getOut().println(node);
    }
    spec.commandLine().getOut().flush();
  }

  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = "Runs a policy now; with --wait, waits for the run and exits 0 only if every job succeeded.")
  static final class Sync implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--policy", required = true, paramLabel = "NAME") String policy;
    @Option(names = "--wait", description = "wait for the run to end") boolean wait;

    @Override
    public Integer call() {
      JsonNode run = ctl.call("POST", "/v1/policies/" + enc(policy) + "/sync" + (wait ? "?wait=true" : ""),
          wait ? Duration.ofHours(24) : Duration.ofSeconds(60));
      print(spec, run);
      return !wait || "succeeded".equals(run.path("state").asText()) ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /** pause and resume: one POST on a policy, differing only in the action. */
  abstract static class PolicyAction implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--policy", required = true, paramLabel = "NAME") String policy;

    abstract String action();

    @Override
    public Integer call() {
      print(spec, ctl.call("POST", "/v1/policies/" + enc(policy) + "/" + action(), Duration.ofSeconds(30)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops a policy from planning.")
  static final class Pause extends PolicyAction {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused policy plan again.")
  static final class Resume extends PolicyAction {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists jobs, newest change first.")
  static final class Jobs implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--state", paramLabel = "STATE") String state;
    @Option(names = "--policy", paramLabel = "NAME") String policy;
    @Option(names = "--tier", paramLabel = "TIER") String tier;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100") int limit;

    @Override
    public Integer call() {
      StringBuilder q = new StringBuilder("/v1/jobs?limit=").append(limit);
      if (state != null) {
        q.append("&state=").append(enc(state));
      }
      if (policy != null) {
        q.append("&policy=").append(enc(policy));
      }
      if (tier != null) {
        q.append("&tier=").append(enc(tier));
      }
      print(spec, ctl.call("GET", q.toString(), Duration.ofSeconds(60)));
      return ExitCodes.OK;
    }
  }

  /** Options that name one target tag by the schedule's registry name, the repository and the tag. */
  static final class TagOptions {
    @Option(names = "--registry", required = true, paramLabel = "NAME", description = "the target registry's name")
    String registry;
    @Option(names = "--repository", required = true, paramLabel = "REPO") String repository;
    @Option(names = "--tag", required = true, paramLabel = "TAG") String tag;
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "Tag writes Ferry made to a target repository (or one tag), newest first.")
  static final class History implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--registry", required = true, paramLabel = "NAME") String registry;
    @Option(names = "--repository", required = true, paramLabel = "REPO") String repository;
    @Option(names = "--tag", paramLabel = "TAG") String tag;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100") int limit;

    @Override
    public Integer call() {
      String q = "/v1/history?registry=" + enc(registry) + "&repository=" + enc(repository) + "&limit=" + limit
          + (tag == null ? "" : "&tag=" + enc(tag));
      print(spec, ctl.call("GET", q, Duration.ofSeconds(60)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Puts a target tag (or every tag a run wrote) back to an earlier digest and pins it.")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1") Which which;

    static final class Which {
      @picocli.CommandLine.ArgGroup(exclusive = false) OneTag one;
      @Option(names = "--run", paramLabel = "RUN", description = "every tag this run wrote") String run;
    }

    static final class OneTag {
      @Option(names = "--registry", required = true, paramLabel = "NAME", description = "the target registry's name")
      String registry;
      @Option(names = "--repository", required = true, paramLabel = "REPO") String repository;
      @Option(names = "--tag", required = true, paramLabel = "TAG") String tag;
      @Option(names = "--to", paramLabel = "DIGEST",
          description = "the digest to put back (default: what the tag held before Ferry's last write)")
      String to;
    }

    @Override
    public Integer call() {
      com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
      if (which.run != null) {
        body.put("run", which.run);
      } else {
        body.put("registry", which.one.registry).put("repository", which.one.repository).put("tag", which.one.tag);
        if (which.one.to != null) {
          body.put("to", which.one.to);
        }
      }
      JsonNode result = ctl.call("POST", "/v1/rollback", body, Duration.ofSeconds(60));
      print(spec, result);
      return result.path("tags").isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }

  @Command(name = "pins", mixinStandardHelpOptions = true, description = "Lists pinned target tags.")
  static final class Pins implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      print(spec, ctl.call("GET", "/v1/pins", Duration.ofSeconds(30)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "unpin", mixinStandardHelpOptions = true,
      description = "Removes a pin, so reconciles manage the tag again.")
  static final class Unpin implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin TagOptions tag;

    @Override
    public Integer call() {
      print(spec, ctl.call("DELETE", "/v1/pins/" + enc(tag.registry) + "?repository=" + enc(tag.repository)
          + "&tag=" + enc(tag.tag), Duration.ofSeconds(30)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancels a run: its unfinished jobs stop, copies in flight within a renew, and no tag is written.")
  static final class Cancel implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--run", required = true, paramLabel = "RUN") String run;

    @Override
    public Integer call() {
      print(spec, ctl.call("POST", "/v1/runs/" + enc(run) + "/cancel", Duration.ofSeconds(60)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "links", mixinStandardHelpOptions = true,
      description = "Lists link quotas and the share of every lease; with --from, --to and --bandwidth, sets one.")
  static final class Links implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--from", paramLabel = "REGION", description = "source region of the link to set") String from;
    @Option(names = "--to", paramLabel = "REGION", description = "target region of the link to set") String to;
    @Option(names = "--bandwidth", paramLabel = "RATE",
        description = "new quota, e.g. 200MiB/s or 1Gbit/s, or 'unlimited'") String bandwidth;

    @Override
    public Integer call() {
      if (from == null && to == null && bandwidth == null) {
        print(spec, ctl.call("GET", "/v1/links", Duration.ofSeconds(30)));
        return ExitCodes.OK;
      }
      if (from == null || to == null || bandwidth == null) {
        throw new ExitCodes.UsageException("setting a quota needs --from, --to and --bandwidth together");
      }
      print(spec, ctl.call("PUT", "/v1/links/" + enc(from) + "/" + enc(to),
          JSON.createObjectNode().put("bandwidth", bandwidth), Duration.ofSeconds(30)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "drift", mixinStandardHelpOptions = true,
      description = "Lists target tags that no longer hold what Ferry wrote; with --check, checks a policy now.")
  static final class DriftCmd implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @Spec CommandSpec spec;
    @Option(names = "--policy", paramLabel = "NAME", description = "only this policy (required with --check)")
    String policy;
    @Option(names = "--check", description = "check the policy's targets now (and repair, with onDrift: repair)")
    boolean check;

    @Override
    public Integer call() {
      if (check) {
        if (policy == null) {
          throw new ExitCodes.UsageException("--check needs --policy");
        }
        JsonNode report = ctl.call("POST", "/v1/policies/" + enc(policy) + "/verify", Duration.ofMinutes(30));
        print(spec, report);
        return report.path("drifted").isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
      }
      JsonNode listed = ctl.call("GET", "/v1/drift" + (policy == null ? "" : "?policy=" + enc(policy)),
          Duration.ofSeconds(60));
      print(spec, listed);
      return listed.path("drift").isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
