package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds a currently free TCP port on 127.0.0.1. */
public final class FreePort {

    private FreePort() {}

    public static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /**
     * A port that was free a moment ago. Another process may take it before the caller binds it,
     * so callers that start external processes should be ready to retry.
     */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up), for a server that other
     * processes dial before it listens, such as a Hazelcast member named in a TCP-IP member
     * list. A port from {@link #find()} is an ephemeral one: a peer that keeps dialling it
     * before its owner binds can be handed it as its own source port (a TCP self-connect), and
     * the owner then fails with "address already in use".
     */
    public static int forListener() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, loopback())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on loopback");
    }
}
