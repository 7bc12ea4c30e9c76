package dev.ferry.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start line and headers of one HTTP/1.1 message as read off a socket, kept verbatim so a
 * proxy can forward them unchanged, plus how the body that follows is delimited.
 */
final class HttpHead {

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** How a message body is delimited. */
    enum Framing {
        NONE,
        LENGTH,
        CHUNKED,
        UNTIL_CLOSE
    }

    private final String startLine;
    private final List<String[]> headers;

    private HttpHead(String startLine, List<String[]> headers) {
        this.startLine = startLine;
        this.headers = headers;
    }

    /** Reads a head; {@code null} if the stream ends before its first byte (peer closed an idle connection). */
    static HttpHead read(InputStream in) throws IOException {
        String startLine = readLine(in, true);
        if (startLine == null) {
            return null;
        }
        List<String[]> headers = new ArrayList<>();
        String line;
        while (!(line = readLine(in, false)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            headers.add(new String[] {
                line.substring(0, colon).trim(), line.substring(colon + 1).trim()
            });
        }
        return new HttpHead(startLine, headers);
    }

    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside an HTTP head");
            }
            if (line.size() > MAX_HEAD_BYTES) {
                throw new IOException("HTTP head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    String startLine() {
        return startLine;
    }

    /** First token of a request line. */
    String method() {
        return startLine.substring(0, startLine.indexOf(' '));
    }

    /** Request target (path and query) of a request line. */
    String target() {
        String[] parts = startLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    /** Status code of a status line. */
    int status() {
        String[] parts = startLine.split(" ");
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    String header(String name) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    List<String[]> headers() {
        return headers;
    }

    boolean wantsClose() {
        String connection = header("Connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
    }

    long contentLength() {
        String length = header("Content-Length");
        return length == null ? -1 : Long.parseLong(length.trim());
    }

    Framing requestFraming() {
        if (isChunked()) {
            return Framing.CHUNKED;
        }
        return contentLength() > 0 ? Framing.LENGTH : Framing.NONE;
    }

    /** RFC 9112 section 6.3, for a response to a request with {@code requestMethod}. */
    Framing responseFraming(String requestMethod) {
        int status = status();
        if ("HEAD".equalsIgnoreCase(requestMethod) || status / 100 == 1 || status == 204 || status == 304) {
            return Framing.NONE;
        }
        if (isChunked()) {
            return Framing.CHUNKED;
        }
        long length = contentLength();
        if (length == 0) {
            return Framing.NONE;
        }
        return length > 0 ? Framing.LENGTH : Framing.UNTIL_CLOSE;
    }

    private boolean isChunked() {
        String encoding = header("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    void writeTo(OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(startLine).append("\r\n");
        for (String[] header : headers) {
            text.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        text.append("\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A copy of a response head with another status. */
    HttpHead withStatus(int status) {
        return new HttpHead("HTTP/1.1 " + status + " Rewritten", headers);
    }

    /** A copy without {@code name}. */
    HttpHead without(String name) {
        List<String[]> copy = new ArrayList<>();
        for (String[] header : headers) {
            if (!header[0].equalsIgnoreCase(name)) {
                copy.add(header);
            }
        }
        return new HttpHead(startLine, copy);
    }

    /** A copy with {@code name} set to {@code value} (replacing any existing values). */
    HttpHead with(String name, String value) {
        List<String[]> copy = new ArrayList<>();
        for (String[] header : headers) {
            if (!header[0].equalsIgnoreCase(name)) {
                copy.add(header);
            }
        }
        copy.add(new String[] {name, value});
        return new HttpHead(startLine, copy);
    }

    @Override
    public String toString() {
        return startLine;
    }
}
