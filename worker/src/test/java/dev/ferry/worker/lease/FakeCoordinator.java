package dev.ferry.worker.lease;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CompletionBatch;
import dev.ferry.common.lease.LeaseProtocol.CompletionItem;
import dev.ferry.common.lease.LeaseProtocol.CompletionResult;
import dev.ferry.common.lease.LeaseProtocol.CompletionResults;
import dev.ferry.common.lease.LeaseProtocol.Lease;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator as far as the lease protocol goes: a Vert.x HTTP server with the four lease
 * endpoints, a queue of leases the test fills, answers the test can change, and a record of
 * every call in order (shared with other probes through {@link #events}).
 */
final class FakeCoordinator implements AutoCloseable {

    /** How to answer a call: an HTTP status and a body (null for none). */
    record Answer(int status, Object body) {
        static Answer ok(Object body) {
            return new Answer(200, body);
        }

        static Answer error(int status, String code, String message) {
            return new Answer(status, Map.of("error", Map.of("code", code, "message", message)));
        }
    }

    /** One call the worker made. */
    record Call(String endpoint, String leaseId, Object body, String authorization) {}

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern LEASES = Pattern.compile("/v1/workers/([^/]+)/leases");
    private static final Pattern LEASE_OP = Pattern.compile("/v1/leases/([^/]+)/(renew|commit-intent|complete)");

    private final Vertx vertx;
    private HttpServer server;
    /** Every call, in arrival order; probes in the test may add their own lines. */
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    final List<LeaseRequest> leaseRequests = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Completion> completions = new ConcurrentHashMap<>();
    final AtomicInteger renewals = new AtomicInteger();

    // Server-context state.
    private final Deque<Lease> queue = new ArrayDeque<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final Set<String> outstanding = new HashSet<>();
    private int maxOutstanding;

    volatile Function<String, Answer> onRenew = leaseId -> Answer.ok(new RenewResponse(0, 0));
    volatile Function<CommitIntent, Answer> onCommitIntent = intent -> Answer.ok(new CommitDecision(true, null));
    volatile Function<LeaseRequest, Answer> onLease;
    /** Answers a whole batch of completions instead of its items; null (or answering null) records each item. */
    volatile Function<CompletionBatch, Answer> onBatch;
    /** Answers one completion, alone or in a batch: its status (204 recorded) and error. */
    volatile Function<CompletionItem, CompletionResult> onComplete = item -> CompletionResult.recorded(item.leaseId());
    /** The size of every batch of completions that reached the items. */
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    private record Waiting(HttpServerRequest request, LeaseRequest body, long timer) {}

    FakeCoordinator(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<FakeCoordinator> start() {
        return vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> handle(req, body)))
                .listen(0, "127.0.0.1")
                .map(s -> {
                    server = s;
                    return this;
                });
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Queues leases; a waiting long poll gets them at once. */
    void enqueue(Lease... leases) {
        vertx.runOnContext(v -> {
            synchronized (this) {
                Collections.addAll(queue, leases);
            }
            serveWaiting();
        });
    }

    synchronized int maxOutstanding() {
        return maxOutstanding;
    }

    synchronized int outstanding() {
        return outstanding.size();
    }

    int leasePolls() {
        return leaseRequests.size();
    }

    List<Call> callsFor(String leaseId) {
        synchronized (calls) {
            return calls.stream().filter(c -> leaseId.equals(c.leaseId())).toList();
        }
    }

    private void handle(HttpServerRequest req, Buffer body) {
        String path = req.path();
        Matcher m = LEASES.matcher(path);
        if (m.matches()) {
            LeaseRequest lr = read(body, LeaseRequest.class);
            leaseRequests.add(lr);
            calls.add(new Call("leases", null, lr, req.getHeader("Authorization")));
            events.add("lease " + lr.capacity());
            Function<LeaseRequest, Answer> override = onLease;
            if (override != null) {
                Answer a = override.apply(lr);
                if (a != null) {
                    reply(req, a);
                    return;
                }
            }
            long timer = vertx.setTimer(Math.max(1, lr.waitSeconds() * 1000L), id -> expire(req));
            synchronized (this) {
                waiting.add(new Waiting(req, lr, timer));
            }
            serveWaiting();
            return;
        }
        if (path.equals("/v1/leases/completions")) {
            completeBatch(req, read(body, CompletionBatch.class));
            return;
        }
        m = LEASE_OP.matcher(path);
        if (!m.matches()) {
            reply(req, Answer.error(404, "not_found", path));
            return;
        }
        String leaseId = m.group(1);
        String auth = req.getHeader("Authorization");
        switch (m.group(2)) {
            case "renew" -> {
                RenewRequest r = read(body, RenewRequest.class);
                calls.add(new Call("renew", leaseId, r, auth));
                events.add("renew " + leaseId);
                renewals.incrementAndGet();
                reply(req, onRenew.apply(leaseId));
            }
            case "commit-intent" -> {
                CommitIntent ci = read(body, CommitIntent.class);
                calls.add(new Call("commit-intent", leaseId, ci, auth));
                events.add("commit-intent " + leaseId + " " + ci.tag());
                reply(req, onCommitIntent.apply(ci));
            }
            default -> {
                CompletionResult r = completeOne(new CompletionItem(leaseId, read(body, Completion.class)), auth);
                reply(
                        req,
                        r.recorded()
                                ? new Answer(204, null)
                                : Answer.error(r.status(), r.code(), r.message() == null ? "" : r.message()));
            }
        }
    }

    private void completeBatch(HttpServerRequest req, CompletionBatch batch) {
        Function<CompletionBatch, Answer> override = onBatch;
        Answer whole = override == null ? null : override.apply(batch);
        if (whole != null) {
            reply(req, whole);
            return;
        }
        batchSizes.add(batch.completions().size());
        String auth = req.getHeader("Authorization");
        List<CompletionResult> results = new ArrayList<>();
        for (CompletionItem item : batch.completions()) {
            results.add(completeOne(item, auth));
        }
        reply(req, Answer.ok(new CompletionResults(results)));
    }

    /** Records one completion (when {@link #onComplete} accepts it) and answers it. */
    private CompletionResult completeOne(CompletionItem item, String auth) {
        String leaseId = item.leaseId();
        Completion c = item.completion();
        calls.add(new Call("complete", leaseId, c, auth));
        events.add("complete " + leaseId + " " + c.outcome());
        CompletionResult r = onComplete.apply(item);
        if (r.recorded()) {
            completions.put(leaseId, c);
            synchronized (this) {
                outstanding.remove(leaseId);
            }
        }
        return r;
    }

    private void serveWaiting() {
        List<Runnable> replies = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && !queue.isEmpty()) {
                Waiting w = waiting.poll();
                vertx.cancelTimer(w.timer());
                List<Lease> batch = new ArrayList<>();
                while (batch.size() < w.body().capacity() && !queue.isEmpty()) {
                    Lease l = queue.poll();
                    batch.add(l);
                    outstanding.add(l.leaseId());
                }
                maxOutstanding = Math.max(maxOutstanding, outstanding.size());
                replies.add(() -> reply(w.request(), Answer.ok(new LeaseResponse(batch))));
            }
        }
        replies.forEach(Runnable::run);
    }

    private void expire(HttpServerRequest req) {
        synchronized (this) {
            if (!waiting.removeIf(w -> w.request() == req)) {
                return;
            }
        }
        reply(req, new Answer(204, null));
    }

    private static <T> T read(Buffer body, Class<T> type) {
        try {
            return JSON.readValue(body.getBytes(), type);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad " + type.getSimpleName() + ": " + body, e);
        }
    }

    private static void reply(HttpServerRequest req, Answer answer) {
        var response = req.response().setStatusCode(answer.status());
        if (answer.body() == null) {
            response.end();
            return;
        }
        try {
            response.putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(answer.body())));
        } catch (IOException e) {
            response.setStatusCode(500).end();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
