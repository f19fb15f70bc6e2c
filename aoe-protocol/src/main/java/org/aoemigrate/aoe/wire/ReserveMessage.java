package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command 3, Reserve/Release (r11 3.4): a subcommand and a list of MACs, the reserve list a
 * request asks for or a response reports.
 *
 * @param rcmd a {@link ReserveCommand} code, or an undefined one (answered with error 2)
 * @param macs at most 255 MACs
 */
public record ReserveMessage(AoeHeader header, int rcmd, List<MacAddress> macs) implements AoeMessage {

    public ReserveMessage {
        WireCodes.requireCommand(header, AoeCommand.RESERVE_RELEASE);
        WireCodes.u8("RCmd", rcmd);
        macs = List.copyOf(macs);
        WireCodes.u8("number of MACs", macs.size());
    }

    public static ReserveMessage of(AoeHeader header, ReserveCommand rcmd, List<MacAddress> macs) {
        return new ReserveMessage(header, rcmd.code(), macs);
    }

    @Override
    public ReserveMessage withHeader(AoeHeader newHeader) {
        return new ReserveMessage(newHeader, rcmd, macs);
    }

    /** The RCmd, or empty for an undefined code. */
    public Optional<ReserveCommand> reserveCommand() {
        return ReserveCommand.fromCode(rcmd);
    }

    static ReserveMessage decode(AoeHeader header, ByteBuffer frame) throws AoeProtocolException {
        AoeHeader.requireLength(frame, RESERVE_HEADER_LENGTH, "the Reserve/Release header");
        int base = frame.position();
        int count = Byte.toUnsignedInt(frame.get(base + RESERVE_NMACS));
        if (RESERVE_MACS + count * MAC_LENGTH > frame.remaining()) {
            throw new AoeProtocolException(
                    count + " reserve MACs run past the end of a " + frame.remaining() + "-byte frame",
                    RESERVE_NMACS);
        }
        List<MacAddress> macs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            macs.add(MacAddress.read(frame, base + RESERVE_MACS + i * MAC_LENGTH));
        }
        return new ReserveMessage(header, Byte.toUnsignedInt(frame.get(base + RESERVE_RCMD)), macs);
    }

    @Override
    public int encodedLength() {
        return RESERVE_HEADER_LENGTH + macs.size() * MAC_LENGTH;
    }

    void encodeBody(ByteBuffer out, int base) {
        out.put(base + RESERVE_RCMD, (byte) rcmd);
        out.put(base + RESERVE_NMACS, (byte) macs.size());
        for (int i = 0; i < macs.size(); i++) {
            macs.get(i).write(out, base + RESERVE_MACS + i * MAC_LENGTH);
        }
    }
}
