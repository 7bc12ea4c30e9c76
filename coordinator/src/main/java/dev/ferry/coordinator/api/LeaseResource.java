package dev.ferry.coordinator.api;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.InvalidDigestException;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.service.ApiException;
import dev.ferry.coordinator.service.CoordinatorService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.regex.Pattern;

/** The lease protocol workers speak (see {@link LeaseProtocol}). */
final class LeaseResource implements ApiResource {

  static final int MAX_CAPACITY = 1000;
  /** Longer polls than this risk idle timeouts in proxies and load balancers. */
  static final int MAX_WAIT_SECONDS = 60;
  static final List<String> OUTCOMES = List.of("succeeded", "failed", "conflict", "rejected", "held");
  /** The longest hold a worker may ask for; the coordinator clamps it further. */
  static final long MAX_HOLD_MILLIS = 86_400_000;
  /** The OCI distribution spec's tag grammar. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private final CoordinatorService service;
  private final RouteSetup setup;

  LeaseResource(CoordinatorService service, RouteSetup setup) {
    this.service = service;
    this.setup = setup;
  }

  @Override
  public void addRoutes(Router router) {
    setup.post(router, "/v1/workers/:id/leases", Access.WORKER, this::lease);
    setup.post(router, "/v1/leases/:id/renew", Access.WORKER, this::renew);
    setup.post(router, "/v1/leases/:id/commit-intent", Access.WORKER, this::commitIntent);
    setup.post(router, "/v1/leases/:id/complete", Access.WORKER, this::complete);
  }

  /** A long poll: the service's future completes when jobs are leased or the wait is over. */
  private void lease(RoutingContext ctx) {
    Query.of(ctx);
    Body body = ApiJson.parseObject(ctx.body().buffer());
    var request = new LeaseProtocol.LeaseRequest(
        body.requiredText("region"),
        (int) body.requiredLong("capacity", 1, MAX_CAPACITY),
        (int) body.optionalLong("waitSeconds", 0, MAX_WAIT_SECONDS, 0),
        body.optionalTextList("openBreakers"));
    service.lease(ctx.pathParam("id"), request).onComplete(ar -> {
      if (ar.failed()) {
        Replies.fail(ctx, ar.cause());
      } else if (ar.result().filter(r -> r.leases() != null && !r.leases().isEmpty()).isPresent()) {
        Replies.json(ctx, 200, ar.result().get());
      } else {
        Replies.noContent(ctx);
      }
    });
  }

  private void renew(RoutingContext ctx) {
    Query.of(ctx);
    Body body = ApiJson.parseObject(ctx.body().buffer());
    var request = new LeaseProtocol.RenewRequest(body.requiredLong("bytesDone", 0, Long.MAX_VALUE),
        body.optionalLong("bytesStreamed", 0, Long.MAX_VALUE, 0));
    Replies.json(ctx, service.renew(ctx.pathParam("id"), request), 200);
  }

  private void commitIntent(RoutingContext ctx) {
    Query.of(ctx);
    Body body = ApiJson.parseObject(ctx.body().buffer());
    String current = body.optionalText("current");
    var intent = new LeaseProtocol.CommitIntent(
        body.requiredLong("fencingToken", 0, Long.MAX_VALUE),
        tag(body.requiredText("tag")),
        digest(body.requiredText("digest")),
        current == null ? null : digest("current", current));
    Replies.json(ctx, service.commitIntent(ctx.pathParam("id"), intent), 200);
  }

  private void complete(RoutingContext ctx) {
    Query.of(ctx);
    Body body = ApiJson.parseObject(ctx.body().buffer());
    var completion = new LeaseProtocol.Completion(
        body.requiredLong("fencingToken", 0, Long.MAX_VALUE),
        body.requiredOneOf("outcome", OUTCOMES),
        body.optionalText("error"),
        body.optionalBoolean("temporary", false),
        holdMillis(body),
        reason(body),
        bytesCopied(body));
    Replies.noContent(ctx, service.complete(ctx.pathParam("id"), completion));
  }

  /** Only a rejection says why, and only with a known reason. */
  private static String reason(Body body) {
    String reason = body.optionalText("reason");
    if (reason != null && !LeaseProtocol.Completion.SIGNATURE.equals(reason)) {
      throw ApiException.badRequest("field \"reason\" must be " + LeaseProtocol.Completion.SIGNATURE
          + " when given; got \"" + reason + "\"");
    }
    return reason;
  }

  private static Long bytesCopied(Body body) {
    long bytes = body.optionalLong("bytesCopied", 0, Long.MAX_VALUE, -1);
    return bytes < 0 ? null : bytes;
  }

  /** Null when absent, so "no hold given" and "hold 0" stay apart. */
  private static Long holdMillis(Body body) {
    long hold = body.optionalLong("holdMillis", 0, MAX_HOLD_MILLIS, -1);
    return hold < 0 ? null : hold;
  }

  private static String tag(String value) {
    if (!TAG.matcher(value).matches()) {
      throw ApiException.badRequest("field \"tag\" must be an OCI tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }
    return value;
  }

  private static String digest(String value) {
    return digest("digest", value);
  }

  private static String digest(String field, String value) {
    try {
      return Digest.parse(value).toString();
    } catch (InvalidDigestException e) {
      throw ApiException.badRequest("field \"" + field + "\": " + e.getMessage());
    }
  }
}
