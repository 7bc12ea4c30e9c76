package dev.ferry.coordinator.lease;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The workers that polled this member for leases, with their last poll: for the status view. */
public final class SeenWorkers {

    public record Worker(String id, String region, Instant lastSeen, int leases) {}

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    void polled(Worker w) {
        workers.put(w.id(), w);
    }

    public List<Worker> list() {
        return new ArrayList<>(workers.values());
    }
}
