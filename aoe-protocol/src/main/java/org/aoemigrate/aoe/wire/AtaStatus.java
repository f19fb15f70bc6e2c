package org.aoemigrate.aoe.wire;

/** Bits of the ATA Status register, returned in frame byte 27 of an ATA response. */
public final class AtaStatus {

    public static final int BSY = 0x80;
    /** Device ready: set on every normal completion. */
    public static final int DRDY = 0x40;
    /** Device fault. */
    public static final int DF = 0x20;
    public static final int DRQ = 0x08;
    /** The Error register (frame byte 25) says what failed. */
    public static final int ERR = 0x01;

    /** Linux aoe fails a request when any of these is set (BSY|DF|DRQ|ERR). */
    public static final int FAILURE_MASK = BSY | DF | DRQ | ERR;

    /** What a successful command returns. */
    public static final int OK = DRDY;
    /** What a failed command returns, with the reason in the Error register. */
    public static final int FAILED = DRDY | ERR;

    private AtaStatus() {
    }
}
