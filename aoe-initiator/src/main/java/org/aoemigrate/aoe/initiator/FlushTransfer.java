package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AtaOpcode;

/**
 * FLUSH CACHE (0xE7): the target answers once every acknowledged write is on its medium. The
 * 28-bit form, because vblade aborts the EXT form (0xEA) and both flush the whole cache; an
 * error address does not fit either way. vblade answers it with status 0x00 (no DRDY), which
 * passes the failure check as it does in Linux.
 */
final class FlushTransfer extends Transfer<Void> {

    private final AoeAddress device;

    FlushTransfer(AoeAddress device) {
        super(1, null, null);
        this.device = device;
    }

    @Override
    int command() {
        return AoeCommand.ATA.code();
    }

    @Override
    boolean isWrite() {
        return true; // it orders against writes; resending early gains nothing
    }

    @Override
    int encode(int frame, ByteBuffer out) {
        out.put(ATA_AFLAGS, (byte) 0);
        out.put(ATA_ERR_FEATURE, (byte) 0);
        out.put(ATA_SECTOR_COUNT, (byte) 0);
        out.put(ATA_CMD_STATUS, (byte) AtaOpcode.FLUSH_CACHE.code());
        for (int i = 0; i < ATA_LBA_LENGTH; i++) {
            out.put(ATA_LBA + i, (byte) 0);
        }
        out.putShort(ATA_RESERVED, (short) 0);
        return ATA_DATA;
    }

    @Override
    void onAnswer(int frame, ByteBuffer reply) throws AoeException {
        AtaReplies.check(device, this, frame, -1, 0, 0, reply);
    }

    @Override
    String describe(int frame) {
        return "FLUSH CACHE";
    }
}
