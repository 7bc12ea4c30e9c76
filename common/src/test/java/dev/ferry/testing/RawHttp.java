package dev.ferry.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 exchange over a plain socket, for requests a well-behaved client refuses to
 * make: a foreign {@code Host}, a browser's {@code Origin}, a request line of 10 KB. The
 * request is sent with {@code Connection: close} and the answer read to its end.
 */
public final class RawHttp {

    /** The status, the header block as text, and the (de-chunked) body. */
    public record Answer(int status, String head, String body) {
        /** The {@code error} object of a JSON error body. */
        public JsonObject error() {
            return new JsonObject(body).getJsonObject("error");
        }
    }

    private RawHttp() {}

    /** @param headers header lines without the final CRLF, e.g. {@code "Host: evil.example:8080"} */
    public static Answer send(int port, String method, String target, String body, String... headers)
            throws IOException {
        StringBuilder request =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String text = readAll(socket.getInputStream());
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(
                    status, head, head.toLowerCase().contains("transfer-encoding: chunked") ? dechunk(rest) : rest);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0 && out.size() < 1 << 20; ) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
