package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link FaultPlan} against the running system, one fault at a time, each healed before
 * the next (a restarted member is waited for until it is ready). A fault that cannot be healed
 * is recorded as a problem, not thrown: the soak goes on and reports it.
 */
final class FaultInjector implements Runnable {

    private static final long ARM_MILLIS = 30_000;

    private final List<FaultPlan.Fault> plan;
    private final FerryCluster cluster;
    private final List<LocalRegistry> targets;
    private final ChaosProxy proxy;
    private final long startNanos;
    private final Map<FaultPlan.Kind, Integer> injected = new EnumMap<>(FaultPlan.Kind.class);
    private final List<String> problems = new ArrayList<>();
    private volatile boolean stopping;

    FaultInjector(
            List<FaultPlan.Fault> plan,
            FerryCluster cluster,
            List<LocalRegistry> targets,
            ChaosProxy proxy,
            long startNanos) {
        this.plan = List.copyOf(plan);
        this.cluster = cluster;
        this.targets = List.copyOf(targets);
        this.proxy = proxy;
        this.startNanos = startNanos;
        for (FaultPlan.Kind kind : FaultPlan.Kind.values()) {
            injected.put(kind, 0);
        }
    }

    /** Asks the injector to stop after the fault it is in (which it heals first). */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        for (FaultPlan.Fault fault : plan) {
            try {
                if (!sleepUntil(fault.atSeconds()) || stopping) {
                    return;
                }
                inject(fault);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                problem(fault, "failed: " + e);
            }
        }
    }

    /** After {@link #run()} returned: everything the faults took down is up again, the proxy passes. */
    void healAll() throws InterruptedException {
        proxy.mode(ChaosProxy.Mode.PASS);
        for (int i = 0; i < cluster.workerCount(); i++) {
            heal(cluster.worker(i), null);
        }
        for (int i = 0; i < cluster.memberCount(); i++) {
            heal(cluster.member(i), i);
        }
        for (int i = 0; i < targets.size(); i++) {
            if (!targets.get(i).alive()) {
                try {
                    targets.get(i).restart();
                } catch (IOException | IllegalStateException e) {
                    healProblem("target-" + (i + 1), e);
                }
            }
        }
    }

    private void heal(Restartable process, Integer member) throws InterruptedException {
        if (process.alive()) {
            return;
        }
        try {
            process.start();
            if (member != null) {
                cluster.awaitMember(member);
            }
        } catch (IOException | IllegalStateException e) {
            healProblem(process.name(), e);
        }
    }

    private void healProblem(String what, Exception e) {
        synchronized (problems) {
            problems.add("at the end, " + what + " could not be started again: " + e.getMessage());
        }
    }

    private boolean sleepUntil(double atSeconds) throws InterruptedException {
        long due = startNanos + (long) (atSeconds * 1e9);
        while (!stopping) {
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                return true;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(500)));
        }
        return false;
    }

    private void inject(FaultPlan.Fault fault) throws Exception {
        long down = (long) (fault.lengthSeconds() * 1000);
        log(fault);
        switch (fault.kind()) {
            case WORKER_KILL -> {
                Restartable worker = cluster.worker(fault.index());
                worker.kill();
                Thread.sleep(down);
                worker.start();
            }
            case MEMBER_KILL -> {
                Restartable member = cluster.member(fault.index());
                member.kill();
                Thread.sleep(down);
                member.start();
                try {
                    cluster.awaitMember(fault.index());
                } catch (IllegalStateException e) {
                    problem(fault, e.getMessage());
                }
            }
            case TARGET_STOP -> {
                LocalRegistry target = targets.get(fault.index());
                target.kill();
                Thread.sleep(down);
                target.restart();
            }
            case THROTTLE -> window(ChaosProxy.Mode.THROTTLE, down);
            case CORRUPT -> window(ChaosProxy.Mode.CORRUPT, down);
        }
        synchronized (injected) {
            injected.merge(fault.kind(), 1, Integer::sum);
        }
    }

    /**
     * Arms the proxy: {@code mode} for {@code millis} from the moment Ferry next reads the source.
     * Waits (at most {@link #ARM_MILLIS} for the first request, plus the window) until it closed.
     */
    private void window(ChaosProxy.Mode mode, long millis) throws InterruptedException {
        proxy.arm(mode, millis);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ARM_MILLIS + millis);
        try {
            while (proxy.windowPending() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                proxy.closeIfExpired();
            }
        } finally {
            proxy.mode(ChaosProxy.Mode.PASS);
        }
    }

    private void log(FaultPlan.Fault fault) {
        System.out.printf(
                Locale.ROOT,
                "   chaos  t+%5.0f s  %s #%d for %.1f s%n",
                (System.nanoTime() - startNanos) / 1e9,
                fault.kind(),
                fault.index() + 1,
                fault.lengthSeconds());
    }

    private void problem(FaultPlan.Fault fault, String what) {
        synchronized (problems) {
            problems.add(fault.kind() + " #" + (fault.index() + 1) + " at " + fault.atSeconds() + " s: " + what);
        }
    }

    Map<FaultPlan.Kind, Integer> injected() {
        synchronized (injected) {
            return new EnumMap<>(injected);
        }
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }
}
