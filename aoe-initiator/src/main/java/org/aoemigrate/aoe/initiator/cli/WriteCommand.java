package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code write eS.L --offset --in}: copies a file onto the disk, then flushes the target's cache. */
@Command(name = "write", description = {
    "Writes FILE (its size a multiple of 512) to the device at OFFSET, then sends FLUSH CACHE so the data is on"
            + " the target's medium when the command returns.",
})
final class WriteCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @Option(names = "--offset", required = true, paramLabel = "BYTES", converter = Converters.Bytes.class,
            description = "Where to start, a multiple of 512 (suffixes k, M, G allowed).")
    long offset;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The data to write.")
    Path file;

    @Mixin
    DeviceOptions device;

    @Override
    protected ExitStatus execute() throws Exception {
        TransferSummary.requireSectors(address, "--offset", offset);
        TransferSummary summary;
        try (FileChannel in = open(file)) {
            long length = in.size();
            if (length % AoeConstants.SECTOR_SIZE != 0) {
                throw new CommandFailure(ExitStatus.USAGE, address + ": " + file + " is " + length
                        + " bytes, not a whole number of 512-byte sectors; pad it (truncate -s) or cut it");
            }
            try (DeviceSession session = openDevice(address, device)) {
                AoeDevice disk = session.device();
                TransferSummary.requireWithin(address, offset, length, disk.identity().bytes());
                ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(TransferSummary.CHUNK, Math.max(length, 512)));
                long start = System.nanoTime();
                for (long done = 0; done < length; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
                    while (buffer.hasRemaining()) {
                        if (in.read(buffer, done + buffer.position()) < 0) {
                            throw new CommandFailure(ExitStatus.IO_ERROR, file + " shrank while being written to "
                                    + address + "; write a file nobody else changes");
                        }
                    }
                    buffer.flip();
                    disk.write((offset + done) / AoeConstants.SECTOR_SIZE, buffer);
                    done += buffer.limit();
                }
                disk.flush();
                verboseStats(disk);
                summary = TransferSummary.of(address, "write", offset, length, file, System.nanoTime() - start,
                        disk.stats());
            }
        }
        if (json()) {
            printJson(summary);
        } else {
            out().println(summary.text());
        }
        return ExitStatus.OK;
    }

    private static FileChannel open(Path file) throws CommandFailure {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
