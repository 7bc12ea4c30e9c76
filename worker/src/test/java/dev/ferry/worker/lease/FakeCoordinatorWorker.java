package dev.ferry.worker.lease;

import static dev.ferry.worker.lease.Jobs.await;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;

/**
 * A real {@link WorkerLoop} leasing over HTTP from a {@link FakeCoordinator}: the setup of the
 * ITs that drive a worker with hand-made leases against real registries. The worker is not
 * started; {@link #close} stops it and closes the client and the fake.
 */
final class FakeCoordinatorWorker implements AutoCloseable {

    final FakeCoordinator fake;
    final LeaseClient client;
    final WorkerLoop worker;

    private FakeCoordinatorWorker(FakeCoordinator fake, LeaseClient client, WorkerLoop worker) {
        this.fake = fake;
        this.client = client;
        this.worker = worker;
    }

    /** A fake coordinator on a free port and a worker with {@code options} polling it, its token {@code worker-token}. */
    static FakeCoordinatorWorker start(Vertx vertx, WorkerOptions options) throws Exception {
        FakeCoordinator fake = await(new FakeCoordinator(vertx).start());
        LeaseClient client = new LeaseClient(vertx, fake.url(), "worker-token");
        return new FakeCoordinatorWorker(
                fake, client, new WorkerLoop(vertx, client, options, new CompositeMeterRegistry()));
    }

    @Override
    public void close() throws Exception {
        await(worker.stop());
        client.close();
        fake.close();
    }
}
