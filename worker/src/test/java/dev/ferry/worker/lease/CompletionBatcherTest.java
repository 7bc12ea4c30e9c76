package dev.ferry.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.common.lease.LeaseProtocol.CommitIntent;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.LeaseProtocol.CompletionItem;
import dev.ferry.common.lease.LeaseProtocol.CompletionResult;
import dev.ferry.common.lease.LeaseProtocol.LeaseRequest;
import dev.ferry.common.lease.LeaseProtocol.LeaseResponse;
import dev.ferry.common.lease.LeaseProtocol.RenewRequest;
import dev.ferry.common.lease.LeaseProtocol.RenewResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CompletionBatcherTest {

    /** Longer than any test waits: a batch that leaves was not sent by the linger. */
    private static final long NEVER = 600_000;

    private static final Completion DONE = new Completion(3, "succeeded", null, false);

    /** A coordinator reached in-process: records each batch and each single call, answers as told. */
    static final class Channel implements LeaseChannel {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<String> singles = Collections.synchronizedList(new ArrayList<>());
        volatile Function<List<CompletionItem>, Future<List<CompletionResult>>> answer =
                items -> Future.succeededFuture(items.stream()
                        .map(i -> CompletionResult.recorded(i.leaseId()))
                        .toList());

        @Override
        public Future<List<CompletionResult>> completeAll(List<CompletionItem> items) {
            batches.add(items.stream().map(CompletionItem::leaseId).toList());
            return answer.apply(items);
        }

        @Override
        public boolean batchesCompletions() {
            return true;
        }

        @Override
        public Future<Void> complete(String leaseId, Completion completion) {
            singles.add(leaseId);
            return Future.succeededFuture();
        }

        @Override
        public Future<Optional<LeaseResponse>> lease(String workerId, LeaseRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<RenewResponse> renew(String leaseId, RenewRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<CommitDecision> commitIntent(String leaseId, CommitIntent intent) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "a test channel";
        }

        @Override
        public void close() {}
    }

    private final Channel channel = new Channel();

    private CompletionBatcher batcher(Vertx vertx, int maxItems, long lingerMillis) {
        return new CompletionBatcher(
                vertx, channel, new CompletionReporter(vertx, channel, 10), maxItems, lingerMillis, 10);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<Future<Void>> complete(CompletionBatcher b, int n) {
        return IntStream.range(0, n).mapToObj(i -> b.complete("l-" + i, DONE)).toList();
    }

    @Test
    @DisplayName("a full batch leaves at once, without waiting for the linger")
    void fullBatchLeavesAtOnce(Vertx vertx) throws Exception {
        CompletionBatcher b = batcher(vertx, 4, NEVER);

        List<Future<Void>> reports = complete(b, 4);

        await(Future.all(reports));
        assertThat(channel.batches).containsExactly(List.of("l-0", "l-1", "l-2", "l-3"));
    }

    @Test
    @DisplayName("more than a batch holds leaves as full batches, the rest after the linger")
    void overflowSplitsIntoBatches(Vertx vertx) throws Exception {
        CompletionBatcher b = batcher(vertx, 4, 50);

        await(Future.all(complete(b, 10)));

        assertThat(channel.batches).hasSize(3);
        assertThat(channel.batches.get(0)).containsExactly("l-0", "l-1", "l-2", "l-3");
        assertThat(channel.batches.get(1)).containsExactly("l-4", "l-5", "l-6", "l-7");
        assertThat(channel.batches.get(2)).containsExactly("l-8", "l-9");
    }

    @Test
    @DisplayName("a lone completion leaves when the linger is over, alone")
    void loneCompletionLeavesAfterTheLinger(Vertx vertx) throws Exception {
        CompletionBatcher b = batcher(vertx, 16, 30);

        await(b.complete("l-1", DONE));

        assertThat(channel.batches).containsExactly(List.of("l-1"));
    }

    @Test
    @DisplayName("closing sends what waits at once, and close completes when it is answered")
    void closeFlushes(Vertx vertx) throws Exception {
        CompletionBatcher b = batcher(vertx, 16, NEVER);
        List<Future<Void>> reports = complete(b, 3);

        await(b.close());

        assertThat(reports).allMatch(Future::succeeded);
        assertThat(channel.batches).containsExactly(List.of("l-0", "l-1", "l-2"));
    }

    @Test
    @DisplayName("a lost lease in a batch fails only its own report; the others are recorded")
    void perItemResults(Vertx vertx) throws Exception {
        channel.answer = items -> Future.succeededFuture(items.stream()
                .map(i -> i.leaseId().equals("l-1")
                        ? new CompletionResult(i.leaseId(), 409, "lease_lost", "lease l-1 is no longer held")
                        : CompletionResult.recorded(i.leaseId()))
                .toList());
        CompletionBatcher b = batcher(vertx, 3, NEVER);

        List<Future<Void>> reports = complete(b, 3);
        await(Future.join(reports).otherwiseEmpty());

        assertThat(reports.get(0).succeeded()).isTrue();
        assertThat(reports.get(1).cause())
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("lease l-1 is no longer held");
        assertThat(reports.get(2).succeeded()).isTrue();
        assertThat(channel.batches).as("a lost lease is not retried").hasSize(1);
    }

    @Test
    @DisplayName("a batch the coordinator did not answer is sent again, and every item is recorded")
    void temporaryFailureRetriesTheItems(Vertx vertx) throws Exception {
        List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
        Function<List<CompletionItem>, Future<List<CompletionResult>>> ok = channel.answer;
        channel.answer = items -> {
            calls.add(items.size());
            return calls.size() == 1
                    ? Future.failedFuture(CoordinatorException.unreachable("batch", new RuntimeException("reset")))
                    : ok.apply(items);
        };
        CompletionBatcher b = batcher(vertx, 3, NEVER);

        await(Future.all(complete(b, 3)));

        assertThat(channel.batches).hasSize(2);
        assertThat(channel.batches.get(1)).containsExactlyInAnyOrder("l-0", "l-1", "l-2");
    }

    @Test
    @DisplayName("an item refused for now (503) is sent again in a later batch; its neighbours are not")
    void temporaryItemRefusalRetriesThatItem(Vertx vertx) throws Exception {
        channel.answer = items -> Future.succeededFuture(items.stream()
                .map(i -> i.leaseId().equals("l-2") && channel.batches.size() == 1
                        ? new CompletionResult(i.leaseId(), 503, "unavailable", "member not ready")
                        : CompletionResult.recorded(i.leaseId()))
                .toList());
        CompletionBatcher b = batcher(vertx, 3, 5);

        await(Future.all(complete(b, 3)));

        assertThat(channel.batches).containsExactly(List.of("l-0", "l-1", "l-2"), List.of("l-2"));
    }

    @Test
    @DisplayName("a coordinator without the batch path gets each completion alone, from then on")
    void olderCoordinatorGetsSingles(Vertx vertx) throws Exception {
        channel.answer = items -> Future.failedFuture(new CoordinatorException(404, "not_found", "no route", null));
        CompletionBatcher b = batcher(vertx, 2, NEVER);

        await(Future.all(complete(b, 2)));
        await(Future.all(List.of(b.complete("l-7", DONE), b.complete("l-8", DONE))));

        assertThat(channel.batches).as("asked once").hasSize(1);
        assertThat(channel.singles).containsExactly("l-0", "l-1", "l-7", "l-8");
    }
}
