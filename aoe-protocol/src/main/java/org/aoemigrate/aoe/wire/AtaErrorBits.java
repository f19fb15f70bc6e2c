package org.aoemigrate.aoe.wire;

/**
 * Bits of the ATA Error register, returned in frame byte 25 of an ATA response whose status has
 * {@link AtaStatus#ERR}. These are ATA errors, distinct from the AoE {@link AoeError} codes: media
 * and range problems must be reported here, because Linux only logs AoE errors and retries.
 */
public final class AtaErrorBits {

    /** Uncorrectable data error. */
    public static final int UNC = 0x40;
    /** ID not found: the LBA range lies beyond the end of the device. */
    public static final int IDNF = 0x10;
    /** Command aborted: unsupported command, or the medium refused (e.g. read-only). */
    public static final int ABRT = 0x04;

    private AtaErrorBits() {
    }
}
