package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AoeConstantsTest {

    @ParameterizedTest(name = "MTU {0}: {1} sectors")
    @CsvSource({
        "1500, 2", // the common case: 1 KiB per frame
        "4200, 8", // the Coraid HOWTO's example
        "9000, 17", // jumbo frames
        "1059, 1",
        "1060, 2",
        "548, 1",
        "547, 0",
        "0, 0",
        "131108, 255", // (131108-36)/512 = 256, capped: the count is one byte
        "65536, 127",
    })
    void sectorsPerFrameIsMtuLessHeadersOverSectorSizeCappedAtOneByte(int mtu, int sectors) {
        assertThat(AoeConstants.sectorsPerFrame(mtu)).isEqualTo(sectors);
    }
}
