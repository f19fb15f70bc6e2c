package org.aoemigrate.aoe.initiator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What IDENTIFY DEVICE (0xEC) says about a device, read as the Linux aoe driver reads it
 * ({@code ataid_complete}).
 *
 * @param sectors  capacity in 512-byte sectors: words 100-103 when word 83 or 86 has bit 10
 *                 (LBA48), otherwise words 60-61
 * @param lba48    whether the device supports 48-bit addressing
 * @param model    words 27-46, trimmed
 * @param serial   words 10-19, trimmed (vblade: {@code shelf.slot:hostname})
 * @param firmware words 23-26, trimmed
 */
public record Identity(long sectors, boolean lba48, String model, String serial, String firmware) {

    /** Size of the IDENTIFY data: one sector of 256 little-endian words. */
    static final int LENGTH = 512;

    private static final int LBA48_BIT = 1 << 10;

    /** The capacity in bytes. */
    public long bytes() {
        return sectors * 512;
    }

    /** Parses the 512 bytes at an absolute index of {@code data}. */
    static Identity parse(ByteBuffer data, int index) {
        ByteBuffer words = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        boolean lba48 = ((word(words, index, 83) | word(words, index, 86)) & LBA48_BIT) != 0;
        long sectors;
        if (lba48) {
            sectors = 0;
            for (int w = 103; w >= 100; w--) {
                sectors = (sectors << 16) | word(words, index, w);
            }
        } else {
            sectors = ((long) word(words, index, 61) << 16) | word(words, index, 60);
        }
        return new Identity(sectors, lba48, text(words, index, 27, 46), text(words, index, 10, 19),
                text(words, index, 23, 26));
    }

    private static int word(ByteBuffer words, int index, int w) {
        return Short.toUnsignedInt(words.getShort(index + 2 * w));
    }

    /** ATA strings keep two characters per word, the first in the high byte. */
    private static String text(ByteBuffer words, int index, int first, int last) {
        byte[] chars = new byte[2 * (last - first + 1)];
        for (int w = first; w <= last; w++) {
            int v = word(words, index, w);
            chars[2 * (w - first)] = (byte) (v >>> 8);
            chars[2 * (w - first) + 1] = (byte) v;
        }
        return new String(chars, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
    }
}
