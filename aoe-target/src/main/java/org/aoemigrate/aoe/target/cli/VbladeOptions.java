package org.aoemigrate.aoe.target.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The vblade form of the command, {@code [-b BUFCNT] [-d] [-s] [-r] [-o OFFSET] [-l LENGTH]
 * [-m MAC,...] SHELF SLOT NETIF FILE}, with vblade's meanings, turned into one export. Unlike
 * vblade, every value is checked: vblade reads {@code abc} as shelf 0 and serves 70000 as 4464.
 */
final class VbladeOptions {

    @Option(names = "-b", paramLabel = "BUFCNT",
            description = "Requests to queue, advertised as the Query Config buffer count (default "
                    + ExportSpec.DEFAULT_BUFFER_COUNT + "; never more than the socket really queues).")
    Integer bufferCount;

    @Option(names = "-d", description = "Direct I/O: O_DIRECT, and durable at reply (O_DSYNC), bypassing the page cache.")
    boolean direct;

    @Option(names = "-s", description = "Synchronous writes: O_DSYNC, every write on the device when its reply goes out.")
    boolean sync;

    @Option(names = "-r", description = "Read-only: writes fail with ATA ABRT.")
    boolean readOnly;

    @Option(names = "-o", paramLabel = "OFFSET", description = "Skip OFFSET 512-byte sectors at the start of FILE.")
    Long offsetSectors;

    @Option(names = "-l", paramLabel = "LENGTH", description = "Export only LENGTH sectors (default: to the end of FILE).")
    Long lengthSectors;

    @Option(names = "-m", paramLabel = "MAC,...",
            description = "Initial MAC mask list: only these initiators get answers (02:00:00:00:00:0a, 02-00-..., or 02000000000a).")
    String masks;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELF", description = "Shelf: 0-4094 or 4096-65534.")
    String shelf;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SLOT", description = "Slot: 0-254.")
    String slot;

    @Parameters(index = "2", arity = "0..1", paramLabel = "NETIF",
            description = "Interface to serve on; several, comma-separated, for multipath (eth1,eth2).")
    String netif;

    @Parameters(index = "3", arity = "0..1", paramLabel = "FILE", description = "Image file or block device to export.")
    String file;

    /** True if any part of the vblade form was given (it excludes --config). */
    boolean anyGiven() {
        return bufferCount != null || direct || sync || readOnly || offsetSectors != null || lengthSectors != null
                || masks != null || shelf != null;
    }

    /** The export these arguments describe; every problem is a {@link ExitStatus#USAGE} failure. */
    ExportSpec toSpec() throws CommandFailure {
        if (file == null) {
            throw usage("give SHELF SLOT NETIF FILE (like vblade), or --config FILE; see aoe-target --help");
        }
        ExportAddress address;
        try {
            address = new ExportAddress(number("shelf", shelf), number("slot", slot));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ExportSpec.Builder b = ExportSpec.builder(address, Path.of(file)).interfaces(interfaces())
                .readOnly(readOnly)
                .ioMode(direct ? IoMode.DIRECT : sync ? IoMode.SYNC : IoMode.BUFFERED)
                .initialMasks(macs());
        if (bufferCount != null) {
            b.bufferCount(bufferCount);
        }
        if (offsetSectors != null) {
            b.offsetSectors(offsetSectors);
        }
        if (lengthSectors != null) {
            b.lengthSectors(lengthSectors);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static int number(String what, String text) throws CommandFailure {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw usage(what + " '" + text + "' is not a number; give it in decimal, e.g. 1");
        }
    }

    private List<String> interfaces() throws CommandFailure {
        List<String> names = new ArrayList<>();
        for (String name : netif.split(",", -1)) {
            if (name.isBlank()) {
                throw usage("NETIF '" + netif + "' has an empty interface name; write eth1, or eth1,eth2 for multipath");
            }
            names.add(name.strip());
        }
        return names;
    }

    private List<MacAddress> macs() throws CommandFailure {
        List<MacAddress> macs = new ArrayList<>();
        if (masks == null) {
            return macs;
        }
        String[] entries = masks.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            try {
                macs.add(MacAddress.parse(entries[i]));
            } catch (IllegalArgumentException e) {
                throw usage("-m entry " + (i + 1) + " of " + entries.length + ": " + e.getMessage());
            }
        }
        return macs;
    }

    private static CommandFailure usage(String message) {
        return new CommandFailure(ExitStatus.USAGE, message);
    }
}
