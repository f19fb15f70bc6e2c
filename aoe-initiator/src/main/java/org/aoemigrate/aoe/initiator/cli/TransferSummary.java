package org.aoemigrate.aoe.initiator.cli;

import java.nio.file.Path;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.DeviceStats;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.cli.CommandFailure;

/** What {@code read} and {@code write} report: the range, the file, the time and the rate. */
record TransferSummary(AoeAddress device, String operation, long offset, long bytes, String file, double seconds,
        double mibPerSecond, long requests, long retransmissions) {

    /** Chunks this large keep each path's window full while the next chunk is prepared. */
    static final int CHUNK = 4 << 20;

    static TransferSummary of(AoeAddress device, String operation, long offset, long bytes, Path file, long nanos,
            DeviceStats stats) {
        double seconds = nanos / 1e9;
        return new TransferSummary(device, operation, offset, bytes, file.toString(), seconds,
                seconds > 0 ? bytes / (1024.0 * 1024.0) / seconds : 0, stats.requests(), stats.retransmissions());
    }

    String text() {
        return String.format("%s: %s %d bytes at offset %d %s %s in %.3f s (%.1f MiB/s, %d requests, %d retransmissions)",
                device, operation.equals("read") ? "read" : "wrote", bytes, offset,
                operation.equals("read") ? "into" : "from", file, seconds, mibPerSecond, requests, retransmissions);
    }

    /** Offsets and lengths on an AoE disk are whole 512-byte sectors. */
    static void requireSectors(AoeAddress device, String what, long value) throws CommandFailure {
        if (value < 0 || value % AoeConstants.SECTOR_SIZE != 0) {
            throw new CommandFailure(ExitStatus.USAGE, device + ": " + what + " " + value
                    + " is not a whole number of 512-byte sectors; give a multiple of 512");
        }
    }

    static void requireWithin(AoeAddress device, long offset, long length, long capacity) throws CommandFailure {
        if (offset + length > capacity) {
            throw new CommandFailure(ExitStatus.USAGE, device + ": bytes " + offset + " to " + (offset + length)
                    + " lie beyond the end of the device (" + capacity + " bytes); shorten the range");
        }
    }
}
