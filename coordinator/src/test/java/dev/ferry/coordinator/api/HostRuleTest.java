package dev.ferry.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostRuleTest {

    @ParameterizedTest(name = "bound to {0}, Host {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1     | 127.0.0.1:8080          | true
      127.0.0.1     | localhost:8080          | true
      127.0.0.1     | localhost.              | true
      127.0.0.1     | [::1]:8080              | true
      127.0.0.1     | evil.example:8080       | false
      127.0.0.1     | 127.0.0.1.evil.example  | false
      127.0.0.1     | localhost.evil.example  | false
      127.0.0.1     | 10.0.0.7:8080           | false
      127.0.0.1     | 999.0.0.1               | false
      127.0.0.1     | 127.0.0.1:8080:9        | false
      127.0.0.1     | [::1                    | false
      127.0.0.1     | ''                      | false
      localhost     | localhost:8080          | true
      localhost     | evil.example            | false
      [::1]         | [::1]:8080              | true
      [::1]         | [::2]:8080              | false
      10.0.0.11     | 10.0.0.11:8080          | true
      10.0.0.11     | 192.168.1.4:8080        | true
      10.0.0.11     | localhost:8080          | true
      10.0.0.11     | evil.example:8080       | false
      ferry.internal| FERRY.internal:8080     | true
      ferry.internal| evil.example:8080       | false
      0.0.0.0       | ferry-api:8080          | true
      ::            | anything.example        | true
      """)
    void decides(String bind, String host, boolean allowed) {
        assertThat(HostRule.forBind(bind).allows(host)).isEqualTo(allowed);
    }
}
