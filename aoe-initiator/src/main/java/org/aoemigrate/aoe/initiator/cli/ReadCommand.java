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

/** {@code read eS.L --offset --length --out}: copies a range of the disk into a file. */
@Command(name = "read", description = "Reads LENGTH bytes at OFFSET of the device into FILE (created or truncated).")
final class ReadCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @Option(names = "--offset", required = true, paramLabel = "BYTES", converter = Converters.Bytes.class,
            description = "Where to start, a multiple of 512 (suffixes k, M, G allowed).")
    long offset;

    @Option(names = "--length", required = true, paramLabel = "BYTES", converter = Converters.Bytes.class,
            description = "How much to read, a multiple of 512.")
    long length;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the data goes.")
    Path file;

    @Mixin
    DeviceOptions device;

    @Override
    protected ExitStatus execute() throws Exception {
        TransferSummary.requireSectors(address, "--offset", offset);
        TransferSummary.requireSectors(address, "--length", length);
        TransferSummary summary;
        try (DeviceSession session = openDevice(address, device);
                FileChannel out = open(file)) {
            AoeDevice disk = session.device();
            TransferSummary.requireWithin(address, offset, length, disk.identity().bytes());
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(TransferSummary.CHUNK, Math.max(length, 512)));
            long start = System.nanoTime();
            for (long done = 0; done < length; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
                disk.read((offset + done) / AoeConstants.SECTOR_SIZE, buffer);
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer, done + buffer.position());
                }
                done += buffer.limit();
            }
            verboseStats(disk);
            summary = TransferSummary.of(address, "read", offset, length, file, System.nanoTime() - start, disk.stats());
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
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.IO_ERROR, "cannot create " + file + ": " + e.getMessage(), e);
        }
    }
}
