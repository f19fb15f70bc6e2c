package org.aoemigrate.aoe.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The 512-byte IDENTIFY DEVICE page (ATA 0xEC), reduced to what AoE initiators read: capacity,
 * the LBA48 feature, and the serial, firmware and model strings.
 *
 * <p>The page is 256 little-endian 16-bit words. Strings are ASCII padded with spaces, two
 * characters per word with the first in the <em>high</em> byte, so each byte pair appears
 * swapped on the wire. Linux reads the capacity from words 100-103 when word 83 or 86 has bit 10
 * (LBA48), otherwise from words 60-61.
 *
 * @param sectors  the device size in 512-byte sectors
 * @param lba48    whether the page advertises 48-bit addressing (words 83/86 bit 10)
 * @param model    at most 40 characters (words 27-46); longer text is cut
 * @param serial   at most 20 characters (words 10-19); longer text is cut
 * @param firmware at most 8 characters (words 23-26); longer text is cut
 */
public record IdentifyPage(long sectors, boolean lba48, String model, String serial, String firmware) {

    public static final int LENGTH = AoeConstants.SECTOR_SIZE;

    /** Largest capacity words 60-61 may report: LBA28 devices larger than this are clamped. */
    public static final long LBA28_MAX = 0x0FFF_FFFFL;
    private static final long LBA48_MAX = 0xFFFF_FFFF_FFFFL;

    private static final int W_SERIAL = 10;
    private static final int SERIAL_WORDS = 10;
    private static final int W_FIRMWARE = 23;
    private static final int FIRMWARE_WORDS = 4;
    private static final int W_MODEL = 27;
    private static final int MODEL_WORDS = 20;
    private static final int W_CAPABILITIES = 49;
    private static final int W_LBA28_CAPACITY = 60;
    private static final int W_COMMAND_SETS_SUPPORTED = 83;
    private static final int W_COMMAND_SETS_SUPPORTED_EXT = 84;
    private static final int W_COMMAND_SETS_ENABLED = 86;
    private static final int W_COMMAND_SETS_DEFAULT = 87;
    private static final int W_LBA48_CAPACITY = 100;

    /** Word 49 bit 9: LBA addressing. */
    private static final int LBA_SUPPORTED = 1 << 9;
    /** Words 83/86: bit 10 48-bit addressing, bit 12 FLUSH CACHE, bit 13 FLUSH CACHE EXT. */
    private static final int LBA48_FEATURE = 1 << 10;
    private static final int FLUSH_CACHE = 1 << 12;
    private static final int FLUSH_CACHE_EXT = 1 << 13;
    /** Words 83, 84 and 87 must read bit 14 set, bit 15 clear for the others to be valid. */
    private static final int WORD_VALID = 0x4000;

    public IdentifyPage {
        if (sectors < 0 || sectors > LBA48_MAX) {
            throw new IllegalArgumentException("capacity must be 0..2^48-1 sectors, was " + sectors);
        }
        model = fit(model, MODEL_WORDS);
        serial = fit(serial, SERIAL_WORDS);
        firmware = fit(firmware, FIRMWARE_WORDS);
    }

    /** The page a target built on this code returns: LBA48 and both FLUSH CACHE commands. */
    public static IdentifyPage of(long sectors, String model, String serial, String firmware) {
        return new IdentifyPage(sectors, true, model, serial, firmware);
    }

    /** The 512 bytes of the page. */
    public byte[] toBytes() {
        byte[] page = new byte[LENGTH];
        write(ByteBuffer.wrap(page), 0);
        return page;
    }

    /** Writes the 512 bytes at an absolute index, leaving the buffer's position alone. */
    public void write(ByteBuffer out, int index) {
        ByteBuffer words = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < LENGTH; i++) {
            words.put(index + i, (byte) 0);
        }
        putString(words, index, W_SERIAL, SERIAL_WORDS, serial);
        putString(words, index, W_FIRMWARE, FIRMWARE_WORDS, firmware);
        putString(words, index, W_MODEL, MODEL_WORDS, model);
        putWord(words, index, W_CAPABILITIES, LBA_SUPPORTED);
        words.putInt(index + 2 * W_LBA28_CAPACITY, (int) Math.min(sectors, LBA28_MAX));
        int features = FLUSH_CACHE | FLUSH_CACHE_EXT | (lba48 ? LBA48_FEATURE : 0);
        putWord(words, index, W_COMMAND_SETS_SUPPORTED, WORD_VALID | features);
        putWord(words, index, W_COMMAND_SETS_SUPPORTED_EXT, WORD_VALID);
        putWord(words, index, W_COMMAND_SETS_ENABLED, features);
        putWord(words, index, W_COMMAND_SETS_DEFAULT, WORD_VALID);
        if (lba48) {
            words.putLong(index + 2 * W_LBA48_CAPACITY, sectors);
        }
    }

    /**
     * Reads a page at the buffer's position (not moving it), as an initiator does: LBA48 if word
     * 83 or 86 has bit 10, and the capacity from words 100-103 then, from 60-61 otherwise.
     *
     * @throws AoeProtocolException if fewer than 512 bytes remain
     */
    public static IdentifyPage parse(ByteBuffer page) throws AoeProtocolException {
        if (page.remaining() < LENGTH) {
            throw new AoeProtocolException(
                    "IDENTIFY data of " + page.remaining() + " bytes is shorter than 512", AoeConstants.ATA_DATA);
        }
        ByteBuffer words = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int index = page.position();
        boolean lba48 = ((word(words, index, W_COMMAND_SETS_SUPPORTED) | word(words, index, W_COMMAND_SETS_ENABLED))
                & LBA48_FEATURE) != 0;
        long sectors = lba48
                ? words.getLong(index + 2 * W_LBA48_CAPACITY) & LBA48_MAX
                : Integer.toUnsignedLong(words.getInt(index + 2 * W_LBA28_CAPACITY));
        return new IdentifyPage(
                sectors,
                lba48,
                getString(words, index, W_MODEL, MODEL_WORDS),
                getString(words, index, W_SERIAL, SERIAL_WORDS),
                getString(words, index, W_FIRMWARE, FIRMWARE_WORDS));
    }

    private static String fit(String text, int words) {
        String s = text == null ? "" : text.strip();
        return s.length() > 2 * words ? s.substring(0, 2 * words) : s;
    }

    private static void putWord(ByteBuffer words, int index, int word, int value) {
        words.putShort(index + 2 * word, (short) value);
    }

    private static int word(ByteBuffer words, int index, int word) {
        return Short.toUnsignedInt(words.getShort(index + 2 * word));
    }

    /** ATA strings: space-padded, first character of each pair in the word's high byte. */
    private static void putString(ByteBuffer words, int index, int word, int count, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 2 * count; i++) {
            byte c = i < ascii.length ? ascii[i] : (byte) ' ';
            words.put(index + 2 * word + (i ^ 1), c);
        }
    }

    private static String getString(ByteBuffer words, int index, int word, int count) {
        byte[] ascii = new byte[2 * count];
        for (int i = 0; i < ascii.length; i++) {
            ascii[i] = words.get(index + 2 * word + (i ^ 1));
        }
        return new String(ascii, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
    }
}
