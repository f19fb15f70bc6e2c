package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AtaFlags;
import org.aoemigrate.aoe.wire.AtaOpcode;

/**
 * A read or write of whole sectors, split into frames of at most {@code sectorsPerFrame}
 * sectors: READ SECTORS EXT / WRITE SECTORS EXT with the E flag (48-bit LBA), as Linux sends for
 * LBA48 devices. Data goes straight between the caller's buffer and the frames: nothing is
 * allocated per frame.
 */
final class DataTransfer extends Transfer<Void> {

    private final AoeAddress device;
    private final boolean write;
    private final long lba;
    private final long sectors;
    private final int sectorsPerFrame;
    private final ByteBuffer buffer;
    private final int bufferStart;

    /** The region between {@code buffer}'s position and limit is read into or written from. */
    DataTransfer(AoeAddress device, boolean write, long lba, ByteBuffer buffer, int sectorsPerFrame) {
        super(frameCount(buffer.remaining() / SECTOR_SIZE, sectorsPerFrame), null, null);
        this.device = device;
        this.write = write;
        this.lba = lba;
        this.sectors = buffer.remaining() / SECTOR_SIZE;
        this.sectorsPerFrame = sectorsPerFrame;
        this.buffer = buffer;
        this.bufferStart = buffer.position();
    }

    private static int frameCount(long sectors, int perFrame) {
        return (int) ((sectors + perFrame - 1) / perFrame);
    }

    @Override
    int command() {
        return AoeCommand.ATA.code();
    }

    @Override
    boolean isWrite() {
        return write;
    }

    @Override
    long lbaOf(int frame) {
        return lba + (long) frame * sectorsPerFrame;
    }

    private int sectorsOf(int frame) {
        return (int) Math.min(sectorsPerFrame, sectors - (long) frame * sectorsPerFrame);
    }

    private int offsetOf(int frame) {
        return bufferStart + frame * sectorsPerFrame * SECTOR_SIZE;
    }

    @Override
    int encode(int frame, ByteBuffer out) {
        int count = sectorsOf(frame);
        long at = lbaOf(frame);
        out.put(ATA_AFLAGS, (byte) (write ? AtaFlags.EXTENDED | AtaFlags.WRITE : AtaFlags.EXTENDED));
        out.put(ATA_ERR_FEATURE, (byte) 0);
        out.put(ATA_SECTOR_COUNT, (byte) count);
        out.put(ATA_CMD_STATUS, (byte) (write ? AtaOpcode.WRITE_EXT : AtaOpcode.READ_EXT).code());
        for (int i = 0; i < ATA_LBA_LENGTH; i++) {
            out.put(ATA_LBA + i, (byte) (at >>> (8 * i))); // r11 3.1: the LBA is little-endian
        }
        out.putShort(ATA_RESERVED, (short) 0);
        if (!write) {
            return ATA_DATA;
        }
        int length = count * SECTOR_SIZE;
        out.put(ATA_DATA, buffer, offsetOf(frame), length);
        return ATA_DATA + length;
    }

    @Override
    void onAnswer(int frame, ByteBuffer reply) throws AoeException {
        int count = sectorsOf(frame);
        int length = write ? 0 : count * SECTOR_SIZE;
        AtaReplies.check(device, this, frame, lbaOf(frame), count, length, reply);
        if (!write) {
            buffer.put(offsetOf(frame), reply, reply.position() + ATA_DATA, length);
        }
    }

    @Override
    String describe(int frame) {
        int count = sectorsOf(frame);
        return (write ? "WRITE" : "READ") + " of " + count + (count == 1 ? " sector" : " sectors") + " at LBA "
                + lbaOf(frame);
    }
}
