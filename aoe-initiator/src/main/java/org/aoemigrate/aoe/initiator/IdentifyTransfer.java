package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AtaOpcode;

/** IDENTIFY DEVICE, sent as Linux sends it: one sector, no flags, lba3 = 0xA0. */
final class IdentifyTransfer extends Transfer<Identity> {

    /** lba3 of IDENTIFY: the obsolete Device register bits 7 and 5, as Linux sets them. */
    private static final int IDENTIFY_DEVICE_BITS = 0xA0;

    private final AoeAddress device;

    IdentifyTransfer(AoeAddress device) {
        super(1, null, null);
        this.device = device;
    }

    @Override
    int command() {
        return AoeCommand.ATA.code();
    }

    @Override
    int encode(int frame, ByteBuffer out) {
        out.put(ATA_AFLAGS, (byte) 0);
        out.put(ATA_ERR_FEATURE, (byte) 0);
        out.put(ATA_SECTOR_COUNT, (byte) 1);
        out.put(ATA_CMD_STATUS, (byte) AtaOpcode.IDENTIFY.code());
        for (int i = 0; i < ATA_LBA_LENGTH; i++) {
            out.put(ATA_LBA + i, (byte) 0);
        }
        out.put(ATA_LBA + 3, (byte) IDENTIFY_DEVICE_BITS);
        out.putShort(ATA_RESERVED, (short) 0);
        return ATA_DATA;
    }

    @Override
    void onAnswer(int frame, ByteBuffer reply) throws AoeException {
        AtaReplies.check(device, this, frame, -1, 1, Identity.LENGTH, reply);
        result = Identity.parse(reply, reply.position() + ATA_DATA);
    }

    @Override
    String describe(int frame) {
        return "IDENTIFY DEVICE";
    }
}
