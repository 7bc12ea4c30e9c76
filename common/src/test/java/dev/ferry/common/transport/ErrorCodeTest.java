package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodeTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everySpecCodeIsFoundByItsName(ErrorCode code) {
        assertThat(ErrorCode.of(code.name())).isSameAs(code);
    }

    @Test
    void lookupIgnoresCaseAndSurroundingSpace() {
        assertThat(ErrorCode.of("manifest_unknown")).isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
        assertThat(ErrorCode.of(" TooManyRequests ")).isEqualTo(ErrorCode.TOOMANYREQUESTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUOTA_EXCEEDED", "", "MANIFEST UNKNOWN", "404"})
    void unknownCodesAreUnknown(String code) {
        assertThat(ErrorCode.of(code)).isEqualTo(ErrorCode.UNKNOWN);
    }

    @Test
    void nullIsUnknown() {
        assertThat(ErrorCode.of(null)).isEqualTo(ErrorCode.UNKNOWN);
    }
}
