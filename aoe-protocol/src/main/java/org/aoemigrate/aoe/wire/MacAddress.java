package org.aoemigrate.aoe.wire;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * A 48-bit Ethernet address, held in the low 48 bits of a long so that it is cheap to compare,
 * hash and keep in sets on the hot path.
 */
public record MacAddress(long bits) implements Comparable<MacAddress> {

    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(bits));
        }
    }

    public static MacAddress of(byte[] six) {
        if (six == null || six.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes");
        }
        return read(ByteBuffer.wrap(six), 0);
    }

    /** Reads six bytes at an absolute index, leaving the buffer's position alone. */
    public static MacAddress read(ByteBuffer buf, int index) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf.get(index + i) & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Writes six bytes at an absolute index, leaving the buffer's position alone. */
    public void write(ByteBuffer buf, int index) {
        for (int i = 0; i < 6; i++) {
            buf.put(index + i, (byte) (bits >>> (40 - 8 * i)));
        }
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        write(ByteBuffer.wrap(b), 0);
        return b;
    }

    /**
     * Parses the forms operators type: {@code 02:00:00:00:00:0a}, {@code 02-00-00-00-00-0A} and
     * vblade's {@code 02000000000a}; upper or lower case.
     */
    public static MacAddress parse(String text) {
        String hex = text.strip().replace(":", "").replace("-", "");
        if (hex.length() != 12 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a MAC address; write six hex bytes, e.g. 02:00:00:00:00:0a");
        }
        return new MacAddress(Long.parseLong(hex, 16));
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    /** The I/G bit: set for broadcast and multicast destinations. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", (bits >>> (40 - 8 * i)) & 0xFF));
        }
        return sb.toString();
    }
}
