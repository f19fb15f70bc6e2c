package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command 2, Mac Mask List (r11 3.3).
 *
 * <p>Normally the directive count equals the number of directives: a request carries the edits,
 * and a response lists the current mask as NOP directives. A response whose MError is not OK is
 * different: the count holds the index of the directive that failed and no directives follow.
 * (A request with a non-zero MError is decoded as a list, since only responses report failures.)
 * {@link #directiveCount()} keeps the count as sent so both forms round-trip.
 *
 * @param mcmd           a {@link MaskCommand} code, or an undefined one (answered with error 2)
 * @param merror         a {@link MaskError} code; 0 in requests
 * @param directiveCount byte 27 as sent (see above)
 * @param directives     the directives that follow the header
 */
public record MacMaskMessage(AoeHeader header, int mcmd, int merror, int directiveCount, List<MaskDirective> directives)
        implements AoeMessage {

    public MacMaskMessage {
        WireCodes.requireCommand(header, AoeCommand.MAC_MASK);
        WireCodes.u8("MCmd", mcmd);
        WireCodes.u8("MError", merror);
        WireCodes.u8("directive count", directiveCount);
        directives = List.copyOf(directives);
        boolean failure = merror != MaskError.OK.code() && directives.isEmpty();
        if (!failure && directives.size() != directiveCount) {
            throw new IllegalArgumentException("directive count " + directiveCount + " but " + directives.size()
                    + " directives; only a failure (MError other than OK) carries a count without a list");
        }
    }

    /** A READ request, or a successful response listing {@code macs} (as NOP directives). */
    public static MacMaskMessage list(AoeHeader header, MaskCommand mcmd, List<MacAddress> macs) {
        List<MaskDirective> listed = new ArrayList<>(macs.size());
        for (MacAddress mac : macs) {
            listed.add(MaskDirective.of(MaskDirectiveCommand.NOP, mac));
        }
        return of(header, mcmd.code(), listed);
    }

    /** An EDIT request applying {@code directives} in order. */
    public static MacMaskMessage edit(AoeHeader header, List<MaskDirective> directives) {
        return of(header, MaskCommand.EDIT.code(), directives);
    }

    /** A failed EDIT's response: the error and the index of the directive that failed. */
    public static MacMaskMessage failure(AoeHeader header, MaskError error, int failedIndex) {
        if (error == MaskError.OK) {
            throw new IllegalArgumentException("a failure needs an MError other than OK");
        }
        return new MacMaskMessage(header, MaskCommand.EDIT.code(), error.code(), failedIndex, List.of());
    }

    private static MacMaskMessage of(AoeHeader header, int mcmd, List<MaskDirective> directives) {
        return new MacMaskMessage(header, mcmd, MaskError.OK.code(), directives.size(), directives);
    }

    @Override
    public MacMaskMessage withHeader(AoeHeader newHeader) {
        return new MacMaskMessage(newHeader, mcmd, merror, directiveCount, directives);
    }

    /** The MCmd, or empty for an undefined code. */
    public Optional<MaskCommand> maskCommand() {
        return MaskCommand.fromCode(mcmd);
    }

    /** The MError, or empty for an undefined code. */
    public Optional<MaskError> maskError() {
        return MaskError.fromCode(merror);
    }

    /** The MACs of the directives, in order (the mask list, in a response). */
    public List<MacAddress> macs() {
        return directives.stream().map(MaskDirective::mac).toList();
    }

    static MacMaskMessage decode(AoeHeader header, ByteBuffer frame) throws AoeProtocolException {
        AoeHeader.requireLength(frame, MASK_HEADER_LENGTH, "the Mac Mask header");
        int base = frame.position();
        int mcmd = Byte.toUnsignedInt(frame.get(base + MASK_MCMD));
        int merror = Byte.toUnsignedInt(frame.get(base + MASK_MERROR));
        int count = Byte.toUnsignedInt(frame.get(base + MASK_DIRECTIVE_COUNT));
        if (header.response() && merror != MaskError.OK.code()) {
            return new MacMaskMessage(header, mcmd, merror, count, List.of());
        }
        if (MASK_DIRECTIVES + count * MASK_DIRECTIVE_LENGTH > frame.remaining()) {
            throw new AoeProtocolException(
                    count + " mask directives run past the end of a " + frame.remaining() + "-byte frame",
                    MASK_DIRECTIVE_COUNT);
        }
        List<MaskDirective> directives = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = base + MASK_DIRECTIVES + i * MASK_DIRECTIVE_LENGTH;
            directives.add(new MaskDirective(Byte.toUnsignedInt(frame.get(at + 1)), MacAddress.read(frame, at + 2)));
        }
        return new MacMaskMessage(header, mcmd, merror, count, directives);
    }

    @Override
    public int encodedLength() {
        return MASK_HEADER_LENGTH + directives.size() * MASK_DIRECTIVE_LENGTH;
    }

    void encodeBody(ByteBuffer out, int base) {
        out.put(base + MASK_RESERVED, (byte) 0);
        out.put(base + MASK_MCMD, (byte) mcmd);
        out.put(base + MASK_MERROR, (byte) merror);
        out.put(base + MASK_DIRECTIVE_COUNT, (byte) directiveCount);
        for (int i = 0; i < directives.size(); i++) {
            int at = base + MASK_DIRECTIVES + i * MASK_DIRECTIVE_LENGTH;
            out.put(at, (byte) 0);
            out.put(at + 1, (byte) directives.get(i).command());
            directives.get(i).mac().write(out, at + 2);
        }
    }
}
