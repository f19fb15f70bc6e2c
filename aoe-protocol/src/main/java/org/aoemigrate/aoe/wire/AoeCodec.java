package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Frames to {@link AoeMessage}s and back. Pure functions: no state, no I/O.
 *
 * <p>A frame is the bytes between a buffer's position and limit, starting at the destination
 * MAC (no FCS). Heap and direct buffers both work.
 */
public final class AoeCodec {

    private AoeCodec() {
    }

    /**
     * Decodes one frame without moving the buffer's position. Every length is checked against
     * the frame: the header of the frame's command, the config string (at most 1024 bytes), the
     * mask directives, the reserve MACs. ATA data is not checked against the sector count: that
     * is the target's decision ({@link AtaMessage#dataLength()}). Bytes past the message (Ethernet
     * padding) are ignored, except after an ATA header or an unknown command, where they are the
     * data or body.
     *
     * <p>Views in the result ({@link AtaMessage#data()}, {@link UnknownCommandMessage#body()})
     * share the frame's memory.
     *
     * @throws AoeProtocolException if the frame is not a well-formed AoE message
     */
    public static AoeMessage decode(ByteBuffer frame) throws AoeProtocolException {
        AoeHeader header = AoeHeader.decode(frame);
        Optional<AoeCommand> command = header.aoeCommand();
        if (command.isEmpty()) {
            return UnknownCommandMessage.decode(header, frame);
        }
        return switch (command.get()) {
            case ATA -> AtaMessage.decode(header, frame);
            case QUERY_CONFIG -> ConfigMessage.decode(header, frame);
            case MAC_MASK -> MacMaskMessage.decode(header, frame);
            case RESERVE_RELEASE -> ReserveMessage.decode(header, frame);
        };
    }

    /**
     * Writes the frame at {@code out}'s position, zero-padded to {@link AoeConstants#MIN_FRAME}
     * bytes (aoetools drop shorter AoE frames, and veth does not pad), and moves the position past
     * it.
     *
     * @throws IllegalArgumentException if {@code out} has no room for the padded frame
     */
    public static void encode(AoeMessage message, ByteBuffer out) {
        write(message, out, Math.max(MIN_FRAME, encodedLength(message)));
    }

    /** Like {@link #encode} but without padding, for comparing with vblade's short frames. */
    public static void encodeUnpadded(AoeMessage message, ByteBuffer out) {
        write(message, out, encodedLength(message));
    }

    /** A new heap buffer holding the padded frame, position 0, limit at its end. */
    public static ByteBuffer toFrame(AoeMessage message) {
        ByteBuffer out = ByteBuffer.allocate(Math.max(MIN_FRAME, encodedLength(message)));
        encode(message, out);
        return out.flip();
    }

    /** The frame's length before padding: {@link AoeMessage#encodedLength()}. */
    public static int encodedLength(AoeMessage message) {
        return message.encodedLength();
    }

    private static void write(AoeMessage message, ByteBuffer out, int frameLength) {
        if (out.remaining() < frameLength) {
            throw new IllegalArgumentException(
                    "the frame needs " + frameLength + " bytes but the buffer has " + out.remaining());
        }
        int base = out.position();
        message.header().encode(out, base);
        if (message instanceof AtaMessage m) {
            m.encodeBody(out, base);
        } else if (message instanceof ConfigMessage m) {
            m.encodeBody(out, base);
        } else if (message instanceof MacMaskMessage m) {
            m.encodeBody(out, base);
        } else if (message instanceof ReserveMessage m) {
            m.encodeBody(out, base);
        } else {
            ((UnknownCommandMessage) message).encodeBody(out, base);
        }
        for (int i = message.encodedLength(); i < frameLength; i++) {
            out.put(base + i, (byte) 0);
        }
        out.position(base + frameLength);
    }
}
