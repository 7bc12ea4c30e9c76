package dev.ferry.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reads go to the next endpoint only when one gives no answer; writes stay on the primary. */
class FallbackStoreTest {

    private static final Digest DIGEST = Digest.sha256(new byte[] {1});

    /** An endpoint that answers every call the same way, and counts the calls. */
    private static final class Endpoint implements ImageStore {
        final List<String> calls = new ArrayList<>();
        final Throwable failure;

        Endpoint(Throwable failure) {
            this.failure = failure;
        }

        private <T> Future<T> answer(String call, T value) {
            calls.add(call);
            return failure == null ? Future.succeededFuture(value) : Future.failedFuture(failure);
        }

        @Override
        public String describe() {
            return "endpoint";
        }

        @Override
        public Future<Manifest> getManifest(String repository, String reference) {
            return answer("get", null);
        }

        @Override
        public Future<Optional<Descriptor>> headManifest(String repository, String reference) {
            return answer("head", Optional.of(Descriptor.of("application/vnd.oci.image.manifest.v1+json", DIGEST, 2)));
        }

        @Override
        public Future<Void> putManifest(String repository, String reference, Manifest manifest) {
            return answer("put", null);
        }

        @Override
        public Future<Boolean> hasBlob(String repository, Digest digest) {
            return answer("hasBlob", true);
        }

        @Override
        public Future<ReadStream<Buffer>> openBlob(String repository, Descriptor blob) {
            return answer("openBlob", null);
        }

        @Override
        public Future<Void> putBlob(String repository, Descriptor blob, ReadStream<Buffer> content) {
            return answer("putBlob", null);
        }

        @Override
        public Future<List<String>> listTags(String repository) {
            return answer("tags", List.of("v1"));
        }
    }

    private static RegistryException unanswered() {
        return RegistryException.network("GET /v2/ at primary", new java.net.ConnectException("Connection refused"));
    }

    @Test
    void thePrimaryServesWhileItAnswers() {
        Endpoint primary = new Endpoint(null);
        Endpoint replica = new Endpoint(null);
        FallbackStore store = new FallbackStore(List.of(
                new FallbackStore.Endpoint("http://a", primary), new FallbackStore.Endpoint("http://b", replica)));

        assertThat(store.listTags("app").result()).containsExactly("v1");
        assertThat(replica.calls).isEmpty();
        assertThat(store.servedBy()).isNull();
    }

    @Test
    void aPrimaryThatGivesNoAnswerHandsReadsToTheNextEndpointWhichIsReported() {
        Endpoint primary = new Endpoint(unanswered());
        Endpoint dead = new Endpoint(unanswered());
        Endpoint replica = new Endpoint(null);
        FallbackStore store = new FallbackStore(List.of(
                new FallbackStore.Endpoint("http://a", primary),
                new FallbackStore.Endpoint("http://b", dead),
                new FallbackStore.Endpoint("http://c", replica)));

        assertThat(store.headManifest("app", "v1").result()).isPresent();
        assertThat(store.servedBy()).isEqualTo("http://c");
        assertThat(primary.calls).containsExactly("head");
        assertThat(dead.calls).containsExactly("head");
    }

    @Test
    void anHttpErrorIsTheRegistrysAnswerAndWritesNeverLeaveThePrimary() {
        Endpoint primary = new Endpoint(RegistryException.fromResponse("HEAD app:v1", 404, "", null));
        Endpoint replica = new Endpoint(null);
        FallbackStore store = new FallbackStore(List.of(
                new FallbackStore.Endpoint("http://a", primary), new FallbackStore.Endpoint("http://b", replica)));

        assertThat(store.headManifest("app", "v1").failed()).isTrue();
        assertThat(store.putManifest("app", "v1", null).failed()).isTrue();
        assertThat(replica.calls).isEmpty();
    }

    @Test
    void whenEveryEndpointIsSilentTheLastFailureIsTheAnswer() {
        RegistryException last = unanswered();
        FallbackStore store = new FallbackStore(List.of(
                new FallbackStore.Endpoint("http://a", new Endpoint(unanswered())),
                new FallbackStore.Endpoint("http://b", new Endpoint(last))));

        assertThat(store.hasBlob("app", DIGEST).cause()).isSameAs(last);
        assertThat(store.servedBy()).isNull();
    }
}
