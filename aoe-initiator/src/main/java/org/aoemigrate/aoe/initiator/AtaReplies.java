package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.List;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AtaStatus;

/** The checks every ATA answer goes through (r11 3.1 and what Linux aoe enforces). */
final class AtaReplies {

    private AtaReplies() {
    }

    /**
     * Throws the typed failure an ATA answer carries, if any: an AoE error (E flag), or an ATA
     * status with BSY, DF, DRQ or ERR (Linux's {@code status & 0xA9}); then, for commands that
     * read, an answer with fewer data bytes than requested (a runt: Linux fails it too; the
     * length comes from the request, not from the reply's own count). The operation is put
     * into words only for a failure: this runs for every frame.
     */
    static void check(AoeAddress device, Transfer<?> transfer, int frame, long lba, int sectors, int expectedData,
            ByteBuffer reply) throws AoeException {
        int base = reply.position();
        if ((reply.get(base + VERSION_FLAGS) & FLAG_ERROR) != 0) {
            refusal(device, transfer.describe(frame), reply);
        }
        if (reply.remaining() < ATA_HEADER_LENGTH) {
            throw new AoeException(device + " answered " + transfer.describe(frame) + " with a " + reply.remaining()
                    + "-byte frame, too short for the 36-byte ATA header");
        }
        int status = Byte.toUnsignedInt(reply.get(base + ATA_CMD_STATUS));
        if ((status & AtaStatus.FAILURE_MASK) != 0) {
            throw new AtaErrorException(device, transfer.describe(frame), lba, sectors, status,
                    Byte.toUnsignedInt(reply.get(base + ATA_ERR_FEATURE)));
        }
        int data = reply.remaining() - ATA_DATA;
        if (data < expectedData) {
            throw new AoeException(device + " answered " + transfer.describe(frame) + " with " + data + " data bytes instead of "
                    + expectedData + "; the target or a hop truncated the frame (check the MTU on every hop)");
        }
    }

    /** Throws the typed exception for an answer with the E flag set; returns if it has none. */
    static void refusal(AoeAddress device, String operation, ByteBuffer reply) throws AoeErrorException {
        int base = reply.position();
        if ((reply.get(base + VERSION_FLAGS) & FLAG_ERROR) == 0) {
            return;
        }
        int code = Byte.toUnsignedInt(reply.get(base + ERROR));
        if (code == AoeError.TARGET_RESERVED.code()) {
            throw new TargetReservedException(device, operation, List.of());
        }
        throw new AoeErrorException(device, operation, code);
    }
}
