package org.aoemigrate.aoe.wire;

/**
 * A frame that cannot be an AoE r11 message: too short for its command, a length field that
 * points past the frame, a config string over 1024 bytes, the wrong EtherType. The message says
 * what was wrong and {@link #offset()} where (absolute, from the destination MAC).
 *
 * <p>Checked on purpose: every frame comes from the network, so callers must decide what a bad
 * one means (a target drops it silently, as r11 targets do; an initiator counts it).
 */
public final class AoeProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;

    public AoeProtocolException(String what, int offset) {
        super(what + " (at frame offset " + offset + ")");
        this.offset = offset;
    }

    /** The absolute frame offset of the field that was wrong or missing. */
    public int offset() {
        return offset;
    }
}
