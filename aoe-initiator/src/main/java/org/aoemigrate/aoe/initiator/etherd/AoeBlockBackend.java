package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * An AoE device as the storage behind {@code /dev/etherd/eS.L}: byte offsets become LBAs, every
 * call waits for the target's answer, and every failure (the target's error, e.g. a reservation
 * conflict (r11 2.4, error 6) or IDNF past the end, and the initiator's deadline when the
 * target stops answering) is an {@link IOException}, which the FUSE layer turns into EIO.
 *
 * <p>A write returns once the target answered it (r11 3.1: the response to a write is sent after
 * the target has the data); a flush is ATA FLUSH CACHE (the initiator uses the 28-bit form vblade also accepts). The device's size is fixed at open
 * (its IDENTIFY), as the block device's size is fixed at attach.
 */
public final class AoeBlockBackend implements BlockBackend {

    private final AoeDevice device;
    private final long sizeBytes;

    public AoeBlockBackend(AoeDevice device) {
        this.device = device;
        this.sizeBytes = device.sectors() * AoeConstants.SECTOR_SIZE;
    }

    public AoeDevice device() {
        return device;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        long lba = lba("read", offset, dst);
        try {
            device.read(lba, dst);
        } catch (RuntimeException e) {
            throw failed("read", offset, dst, e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        long lba = lba("write", offset, src);
        try {
            device.write(lba, src);
        } catch (RuntimeException e) {
            throw failed("write", offset, src, e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            device.flush();
        } catch (RuntimeException e) {
            throw new IOException(device.address() + ": flush failed: " + e.getMessage(), e);
        }
    }

    /**
     * The LBA of {@code offset}. The loop device (direct I/O) sends whole sectors at sector
     * offsets; anything else cannot be expressed as ATA sectors and fails rather than being
     * widened into a read-modify-write the target would not see as one request.
     */
    private long lba(String op, long offset, ByteBuffer buffer) throws IOException {
        if (offset % AoeConstants.SECTOR_SIZE != 0 || buffer.remaining() % AoeConstants.SECTOR_SIZE != 0) {
            throw new IOException(device.address() + ": " + op + " of " + buffer.remaining() + " bytes at offset " + offset
                    + " is not in whole 512-byte sectors; open the device with O_DIRECT (the loop device does)");
        }
        return offset / AoeConstants.SECTOR_SIZE;
    }

    private IOException failed(String op, long offset, ByteBuffer buffer, RuntimeException e) {
        return new IOException(device.address() + ": " + op + " of " + buffer.remaining() + " bytes at offset " + offset
                + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return device.toString();
    }
}
