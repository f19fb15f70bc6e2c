package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeTest {

    /** Expected values printed by glibc's makedev(3) on x86_64. */
    @ParameterizedTest
    @CsvSource({"7, 3, 1795", "259, 1048575, 4293985279", "4095, 256, 2096896"})
    void makedevMatchesGlibcAndSplitsBack(int major, int minor, long dev) {
        assertThat(Native.makedev(major, minor)).isEqualTo(dev);
        assertThat(Native.major(dev)).isEqualTo(major);
        assertThat(Native.minor(dev)).isEqualTo(minor);
    }
}
