package org.aoemigrate.aoe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames of a pcapng capture (what tcpdump and dumpcap write by default), enough for
 * golden-frame tests: Enhanced and Simple Packet Blocks are returned in file order; every other
 * block is skipped. Byte order comes from each Section Header Block.
 *
 * @see <a href="https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html">pcapng draft</a>
 */
public final class Pcapng {

    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;

    private Pcapng() {}

    /** The frames of a capture on the test classpath, e.g. {@code "/vblade-capture/step1.pcap"}. */
    public static List<byte[]> framesOfResource(String resource) {
        try (InputStream in = Pcapng.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return frames(ByteBuffer.wrap(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    public static List<byte[]> frames(ByteBuffer capture) {
        ByteBuffer b = capture.duplicate();
        List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            int start = b.position();
            int type = b.getInt(start);
            if (type == SECTION_HEADER) {
                // The magic after the length tells this section's byte order; the type reads the same both ways.
                b.order(ByteOrder.BIG_ENDIAN);
                if (b.getInt(start + 8) != BYTE_ORDER_MAGIC) {
                    b.order(ByteOrder.LITTLE_ENDIAN);
                }
            }
            int length = b.getInt(start + 4);
            if (length < 12 || length > b.remaining()) {
                throw new IllegalArgumentException("pcapng block at " + start + " claims " + length + " bytes");
            }
            if (type == ENHANCED_PACKET) {
                frames.add(copy(b, start + 28, b.getInt(start + 20)));
            } else if (type == SIMPLE_PACKET) {
                frames.add(copy(b, start + 12, Math.min(b.getInt(start + 8), length - 16)));
            }
            b.position(start + length);
        }
        return frames;
    }

    private static byte[] copy(ByteBuffer b, int index, int length) {
        byte[] frame = new byte[length];
        b.get(index, frame);
        return frame;
    }
}
