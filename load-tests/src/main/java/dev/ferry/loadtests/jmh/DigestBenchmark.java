package dev.ferry.loadtests.jmh;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestVerifier;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Digest verification while streaming: an 8 MiB blob fed to {@link DigestVerifier} in the
 * buffer size the HTTP client hands over, then verified. MiB/s = ops/s x 8.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DigestBenchmark {

    static final int BLOB = 8 * 1024 * 1024;

    @Param({"8192", "65536"})
    int chunk;

    private List<Buffer> chunks;
    private Digest expected;

    @Setup
    public void setUp() {
        byte[] bytes = new byte[BLOB];
        new SplittableRandom(1).nextBytes(bytes);
        expected = Digest.sha256(bytes);
        chunks = new ArrayList<>();
        for (int i = 0; i < BLOB; i += chunk) {
            chunks.add(Buffer.buffer().appendBytes(bytes, i, Math.min(chunk, BLOB - i)));
        }
    }

    @Benchmark
    public Digest verify8MiB() {
        DigestVerifier verifier = new DigestVerifier(expected, BLOB);
        for (Buffer b : chunks) {
            verifier.update(b);
        }
        return verifier.verify();
    }
}
