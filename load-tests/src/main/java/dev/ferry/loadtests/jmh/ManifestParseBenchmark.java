package dev.ferry.loadtests.jmh;

import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.loadtests.gen.ImageBuilder;
import dev.ferry.loadtests.gen.PlannedImage;
import dev.ferry.loadtests.gen.WorkloadPlan;
import dev.ferry.loadtests.gen.WorkloadSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Manifest parsing (with the digest of the raw bytes): a 12-layer OCI manifest and a two-platform index. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ManifestParseBenchmark {

    private byte[] manifest;
    private byte[] index;

    @Setup
    public void setUp() {
        WorkloadSpec spec = new WorkloadSpec("jmh", 1, 1, 12, 16, 0, 1, 5);
        PlannedImage image = WorkloadPlan.of(spec).get(0);
        var built = new ImageBuilder(spec.layerBytes()).build(image);
        manifest = built.children().get(0).raw();
        index = built.top().raw();
    }

    @Benchmark
    public Manifest parseManifest() {
        return ManifestParser.parse(manifest, MediaTypes.OCI_MANIFEST);
    }

    @Benchmark
    public Manifest parseIndex() {
        return ManifestParser.parse(index, MediaTypes.OCI_INDEX);
    }
}
