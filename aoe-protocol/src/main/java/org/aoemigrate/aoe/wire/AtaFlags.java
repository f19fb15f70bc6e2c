package org.aoemigrate.aoe.wire;

/** Bits of the ATA AFlags byte (r11 3.1), frame byte 24. Bits 7, 5, 3 and 2 must be zero. */
public final class AtaFlags {

    /** Extended: the command uses a 48-bit LBA. */
    public static final int EXTENDED = 0x40;
    /** Device/head register bit, evaluated only when {@link #EXTENDED} is set. */
    public static final int DEVICE = 0x10;
    /** Asynchronous write: the target may answer before the data is on the medium. */
    public static final int ASYNC = 0x02;
    /** The frame carries data to write. */
    public static final int WRITE = 0x01;

    private AtaFlags() {
    }
}
