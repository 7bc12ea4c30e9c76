package dev.ferry.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageJsonEncoderTest {

    @Test
    void theFormattedTextIsTheMessageAndTheOtherFieldsStay() throws Exception {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("dev.ferry.worker.lease.JobExecution");
        LoggingEvent event = new LoggingEvent(
                Logger.class.getName(),
                logger,
                Level.INFO,
                "lease {}: {}, wrote \"{}\"",
                new IllegalStateException("boom"),
                new Object[] {"l-1", "succeeded", "a\nb"});
        event.setMDCPropertyMap(Map.of("job", "j-9", "policy", "apps"));
        MessageJsonEncoder encoder = new MessageJsonEncoder();
        encoder.setContext(context);
        encoder.setWithMessage(true);
        encoder.setWithFormattedMessage(false);
        encoder.setWithArguments(false);
        encoder.start();

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        JsonNode json = new ObjectMapper().readTree(line);

        assertThat(line).endsWith("\n").hasLineCount(1);
        assertThat(json.path("message").asText()).isEqualTo("lease l-1: succeeded, wrote \"a\nb\"");
        assertThat(json.has("formattedMessage")).isFalse();
        assertThat(json.has("arguments")).isFalse();
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.ferry.worker.lease.JobExecution");
        assertThat(json.path("timestamp").asLong()).isEqualTo(event.getTimeStamp());
        assertThat(json.path("mdc").path("job").asText()).isEqualTo("j-9");
        assertThat(json.path("throwable").path("message").asText()).isEqualTo("boom");
    }
}
