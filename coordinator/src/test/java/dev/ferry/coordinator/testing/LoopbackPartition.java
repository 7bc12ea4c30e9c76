package dev.ferry.coordinator.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cuts and heals the network between processes that each bind their own loopback address
 * (127.0.0.2, 127.0.0.3, ...), with an iptables chain of this test's own: packets from one
 * group's addresses to another group's are dropped in OUTPUT, which every loopback packet
 * passes. Traffic to and from 127.0.0.1 (registries, workers, the test) is never touched, and
 * nothing outside loopback is matched. Needs root (CAP_NET_ADMIN), as the harness has.
 */
public final class LoopbackPartition implements AutoCloseable {

    private final String chain =
            "FERRY_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    private final List<String> added = new ArrayList<>();
    private int cuts;

    /**
     * Makes the chain and gives {@code lo} each of {@code addresses} it lacks (Hazelcast binds
     * only an address an interface carries; 127.0.0.0/8 routes to lo, but only 127.0.0.1 is
     * assigned by default). {@link #close()} takes back what this added.
     */
    public LoopbackPartition(List<String> addresses) throws IOException {
        iptables("-N", chain);
        iptables("-I", "OUTPUT", "1", "-j", chain);
        String assigned = run(List.of("ip", "-4", "addr", "show", "dev", "lo"));
        for (String a : addresses) {
            if (!a.startsWith("127.")) {
                throw new IllegalArgumentException(a + " is not a loopback address");
            }
            if (!assigned.contains("inet " + a + "/")) {
                run(List.of("ip", "addr", "add", a + "/32", "dev", "lo"));
                added.add(a);
            }
        }
    }

    /** Whether iptables can make a chain here, so the test can say why it is skipped. */
    public static boolean available() {
        try (LoopbackPartition probe = new LoopbackPartition(List.of())) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Drops every packet between addresses of different groups until {@link #heal()}. */
    public void cut(List<List<String>> groups) throws IOException {
        heal();
        for (int a = 0; a < groups.size(); a++) {
            for (int b = 0; b < groups.size(); b++) {
                if (a == b) {
                    continue;
                }
                for (String from : groups.get(a)) {
                    for (String to : groups.get(b)) {
                        iptables("-A", chain, "-s", from + "/32", "-d", to + "/32", "-j", "DROP");
                    }
                }
            }
        }
        cuts++;
    }

    public void heal() throws IOException {
        iptables("-F", chain);
    }

    public int cuts() {
        return cuts;
    }

    @Override
    public void close() throws IOException {
        try {
            iptables("-D", "OUTPUT", "-j", chain);
        } finally {
            iptables("-F", chain);
            iptables("-X", chain);
            for (String a : added) {
                run(List.of("ip", "addr", "del", a + "/32", "dev", "lo"));
            }
        }
    }

    private static void iptables(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "10"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static String run(List<String> cmd) throws IOException {
        String shown = String.join(" ", cmd);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(shown + " did not finish in 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0) {
                throw new IOException(shown + " failed: " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
