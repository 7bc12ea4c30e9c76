package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * A TCP relay on a free loopback port in front of a local plain-HTTP server that closes, at once,
 * connections opening with a TLS handshake record (first byte 0x16).
 *
 * <p>Why: clients such as skopeo with {@code --tls-verify=false} try HTTPS first and fall back to
 * HTTP only when that fails. The JDK {@code HttpServer} waits for a CRLF that a TLS ClientHello
 * never sends, so each fallback would cost Go's 10 s TLS handshake timeout.
 */
public final class TlsRejectingFront implements AutoCloseable {

    private static final int TLS_HANDSHAKE = 0x16;

    private final int backendPort;
    private final ServerSocket server;
    private final ExecutorService pool;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    public TlsRejectingFront(int backendPort) {
        this.backendPort = backendPort;
        try {
            this.server = new ServerSocket(0, 50, FreePort.loopback());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pool = DaemonThreads.cachedPool("tls-rejecting-front");
        pool.execute(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            PushbackInputStream in = new PushbackInputStream(client.getInputStream(), 1);
            int first = in.read();
            if (first < 0 || first == TLS_HANDSHAKE) {
                return;
            }
            in.unread(first);
            try (Socket backend = new Socket(FreePort.loopback(), backendPort)) {
                sockets.add(backend);
                client.setTcpNoDelay(true);
                backend.setTcpNoDelay(true);
                pool.execute(() -> pump(in, backend));
                pump(backend.getInputStream(), client);
            } finally {
                sockets.removeIf(Socket::isClosed);
            }
        } catch (IOException e) {
            // peer went away
        } finally {
            sockets.remove(client);
        }
    }

    /** Copies until EOF, then half-closes {@code to} so the other side sees the end of the stream. */
    private static void pump(InputStream from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = from.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            // closed by the other direction
        } catch (IOException e) {
            // peer went away
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // ignore
            }
        }
        pool.shutdownNow();
    }
}
