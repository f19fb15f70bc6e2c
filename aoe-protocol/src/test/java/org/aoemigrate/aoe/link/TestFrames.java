package org.aoemigrate.aoe.link;

import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.MacAddress;

/** Builds Ethernet frames for link tests: header plus a recognisable payload. */
final class TestFrames {

    private TestFrames() {}

    /** A frame of {@code length} bytes whose payload bytes are {@code seed + i}. */
    static ByteBuffer frame(MacAddress dst, MacAddress src, int etherType, int length, int seed) {
        ByteBuffer b = ByteBuffer.allocate(length);
        dst.write(b, 0);
        src.write(b, 6);
        b.putShort(12, (short) etherType);
        for (int i = 14; i < length; i++) {
            b.put(i, (byte) (seed + i));
        }
        return b;
    }

    /** An AoE frame of {@code length} bytes. */
    static ByteBuffer aoe(MacAddress dst, MacAddress src, int length, int seed) {
        return frame(dst, src, 0x88A2, length, seed);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
