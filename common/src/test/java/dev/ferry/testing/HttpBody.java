package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Relays one HTTP/1.1 message body from a socket to another, verbatim (chunk framing included),
 * through a fixed buffer, optionally stopping after a number of body bytes.
 */
final class HttpBody {

    private static final int BUFFER = 64 * 1024;

    private HttpBody() {}

    /**
     * @param limit stop after this many body (payload) bytes; {@code Long.MAX_VALUE} for no limit
     * @return true if the whole body was relayed, false if {@code limit} cut it short
     */
    static boolean relay(InputStream in, OutputStream out, HttpHead.Framing framing, long length, long limit)
            throws IOException {
        return switch (framing) {
            case NONE -> true;
            case LENGTH -> copy(in, out, length, limit, true) == length;
            case UNTIL_CLOSE -> copy(in, out, Long.MAX_VALUE, limit, false) < limit;
            case CHUNKED -> relayChunked(in, out, limit);
        };
    }

    /** Reads and drops a body, so the connection can carry the next request. */
    static void discard(InputStream in, HttpHead.Framing framing, long length) throws IOException {
        relay(in, OutputStream.nullOutputStream(), framing, length, Long.MAX_VALUE);
    }

    /** Copies up to {@code min(length, limit)} bytes; returns how many were copied. */
    private static long copy(InputStream in, OutputStream out, long length, long limit, boolean eofIsError)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long wanted = Math.min(length, limit);
        long done = 0;
        while (done < wanted) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, wanted - done));
            if (n < 0) {
                if (eofIsError) {
                    throw new IOException("body ended after " + done + " of " + length + " bytes");
                }
                break;
            }
            out.write(buffer, 0, n);
            done += n;
        }
        out.flush();
        return done;
    }

    private static boolean relayChunked(InputStream in, OutputStream out, long limit) throws IOException {
        long sent = 0;
        while (true) {
            String sizeLine = line(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = line(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!trailer.isEmpty());
                out.flush();
                return true;
            }
            long copied = copy(in, out, size, limit - sent, true);
            sent += copied;
            if (copied < size) {
                return false;
            }
            out.write((line(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed inside chunk framing");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
