package dev.ferry.cli.log;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's JSON encoder, with the formatted message under {@code message}, the key log
 * collectors expect. Logback names its keys itself ({@code message} holds the pattern with its
 * {@code {}} placeholders, {@code formattedMessage} the text), so each event is handed over with
 * its formatted text as its message and no arguments. Configure it with {@code withMessage} on
 * and {@code withFormattedMessage} and {@code withArguments} off.
 */
public final class MessageJsonEncoder extends JsonEncoder {

    @Override
    public byte[] encode(ILoggingEvent event) {
        return super.encode(new FormattedEvent(event));
    }
}
