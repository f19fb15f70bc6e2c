package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;

/**
 * A frame whose command r11 does not define here (4..0xEF) or leaves to vendors (0xF0..0xFF):
 * the header and the raw bytes after it. A target echoes it with
 * {@link AoeError#UNRECOGNIZED_COMMAND}: {@code m.withHeader(m.header().reply(...).withError(...))}.
 *
 * @param body the bytes after the 24-byte header, as a read-only view (after decoding, it shares
 *             memory with the frame buffer; copy it to keep it)
 */
public record UnknownCommandMessage(AoeHeader header, ByteBuffer body) implements AoeMessage {

    public UnknownCommandMessage {
        if (header == null || header.aoeCommand().isPresent()) {
            throw new IllegalArgumentException("an unknown-command message needs a header with an unknown command, not "
                    + (header == null ? "none" : header.aoeCommand().get()));
        }
        body = body == null ? ByteBuffer.allocate(0).asReadOnlyBuffer() : body.slice().asReadOnlyBuffer();
    }

    @Override
    public UnknownCommandMessage withHeader(AoeHeader newHeader) {
        return new UnknownCommandMessage(newHeader, body);
    }

    /** A read-only view of the body; reading it does not change this message. */
    @Override
    public ByteBuffer body() {
        return body.duplicate();
    }

    /** True for the vendor range 0xF0..0xFF. */
    public boolean isVendor() {
        return AoeCommand.isVendor(header.command());
    }

    static UnknownCommandMessage decode(AoeHeader header, ByteBuffer frame) {
        return new UnknownCommandMessage(header, frame.slice(frame.position() + HEADER_LENGTH, frame.remaining() - HEADER_LENGTH));
    }

    @Override
    public int encodedLength() {
        return HEADER_LENGTH + body.remaining();
    }

    void encodeBody(ByteBuffer out, int base) {
        out.put(base + HEADER_LENGTH, body, body.position(), body.remaining());
    }
}
