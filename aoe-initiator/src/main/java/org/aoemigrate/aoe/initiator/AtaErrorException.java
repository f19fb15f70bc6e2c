package org.aoemigrate.aoe.initiator;

import org.aoemigrate.aoe.wire.AtaErrorBits;
import org.aoemigrate.aoe.wire.AtaStatus;

/**
 * The ATA command failed on the target: the Status register came back with ERR (or BSY, DF,
 * DRQ, which Linux also treats as failure) and the Error register says why, e.g. IDNF for a
 * range past the end of the device or ABRT for a write to a read-only export.
 */
public final class AtaErrorException extends AoeException {

    private static final long serialVersionUID = 1L;

    private final long lba;
    private final int sectors;
    private final int status;
    private final int errorRegister;

    public AtaErrorException(AoeAddress device, String operation, long lba, int sectors, int status, int errorRegister) {
        super(String.format("%s: %s failed with ATA status 0x%02x, error 0x%02x (%s)",
                device, operation, status, errorRegister, explain(errorRegister)));
        this.lba = lba;
        this.sectors = sectors;
        this.status = status;
        this.errorRegister = errorRegister;
    }

    /** The first sector of the failed request; -1 for commands without an address. */
    public long lba() {
        return lba;
    }

    public int sectors() {
        return sectors;
    }

    /** The ATA Status register ({@link AtaStatus} bits). */
    public int status() {
        return status;
    }

    /** The ATA Error register ({@link AtaErrorBits} bits). */
    public int errorRegister() {
        return errorRegister;
    }

    /** True for IDNF: the sectors lie beyond the end of the device. */
    public boolean isOutOfRange() {
        return (errorRegister & AtaErrorBits.IDNF) != 0;
    }

    /** True for ABRT: the target refused the command (unsupported, or the export is read-only). */
    public boolean isAborted() {
        return (errorRegister & AtaErrorBits.ABRT) != 0;
    }

    private static String explain(int error) {
        StringBuilder sb = new StringBuilder();
        if ((error & AtaErrorBits.IDNF) != 0) {
            sb.append("IDNF: the sectors lie beyond the end of the device");
        }
        if ((error & AtaErrorBits.ABRT) != 0) {
            sb.append(sb.length() > 0 ? "; " : "")
                    .append("ABRT: the target aborted the command (unsupported, or a read-only export)");
        }
        if ((error & AtaErrorBits.UNC) != 0) {
            sb.append(sb.length() > 0 ? "; " : "").append("UNC: uncorrectable data error on the target's medium");
        }
        return sb.length() > 0 ? sb.toString() : "no error bit the initiator knows";
    }
}
