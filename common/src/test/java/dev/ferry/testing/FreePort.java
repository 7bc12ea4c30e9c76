package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a currently free TCP port on 127.0.0.1. */
public final class FreePort {

    private FreePort() {
    }

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
}
