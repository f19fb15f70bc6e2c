package org.aoemigrate.aoe.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketSocketOptionsTest {

    @Test
    void defaultsAndWithersChangeOneThingEach() {
        PacketSocketOptions o = PacketSocketOptions.forInterface("vT");
        assertThat(o).isEqualTo(new PacketSocketOptions("vT", 256, 64, null));

        PacketSocketOptions changed = o.withReceiveFrames(1024).withSendFrames(8).withFilter(AoeFilter.requests());
        assertThat(changed).isEqualTo(new PacketSocketOptions("vT", 1024, 8, AoeFilter.requests()));
    }

    @Test
    void refusesNamesTheKernelWouldRefuseAndEmptyBuffers() {
        assertThatThrownBy(() -> PacketSocketOptions.forInterface("a-name-too-long-for-linux"))
                .hasMessageContaining("1-15 characters");
        assertThatThrownBy(() -> PacketSocketOptions.forInterface("")).hasMessageContaining("not an interface name");
        assertThatThrownBy(() -> PacketSocketOptions.forInterface("vT").withReceiveFrames(0))
                .hasMessageContaining("at least one frame");
    }

    @Test
    void framesAreChargedAtTheKernelsTruesizeNotTheirLength() {
        assertThat(PacketSocketLink.kernelBytesPerFrame(1500)).isEqualTo(2048 + 256);
        assertThat(PacketSocketLink.kernelBytesPerFrame(9000)).isEqualTo(16384 + 256);
    }
}
