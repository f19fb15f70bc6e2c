package org.aoemigrate.aoe.target;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * What to export and where: everything an operator states about one export (vblade's
 * arguments, or one entry of the YAML config). Build one with {@link #builder}.
 *
 * @param address        the AoE address {@code eS.L}
 * @param path           a regular file or a block device
 * @param offsetSectors  skip this many 512-byte sectors of the file: LBA 0 is file sector
 *                       {@code offsetSectors} (vblade {@code -o})
 * @param lengthSectors  export only this many sectors (vblade {@code -l}); empty = to the end
 * @param readOnly       writes get ATA ABRT (vblade {@code -r})
 * @param ioMode         page cache, O_DSYNC or O_DIRECT; see {@link IoMode}
 * @param interfaces     the interfaces to answer on, at least one; an export on several
 *                       interfaces answers on each (multipath)
 * @param initialMasks   the MAC mask list of a new export (vblade {@code -m}); once the export
 *                       has saved state, the saved list wins (it may have been edited over AoE)
 * @param initialConfig  the config string of a new export; once saved state exists it wins
 * @param bufferCount    requests the receive path should queue for this export (vblade
 *                       {@code -b}); the target advertises at most what the link really queues
 */
public record ExportSpec(
        ExportAddress address,
        Path path,
        long offsetSectors,
        OptionalLong lengthSectors,
        boolean readOnly,
        IoMode ioMode,
        List<String> interfaces,
        List<MacAddress> initialMasks,
        Optional<String> initialConfig,
        int bufferCount) {

    /** vblade's default {@code -b}. */
    public static final int DEFAULT_BUFFER_COUNT = 16;

    public ExportSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lengthSectors, "lengthSectors");
        Objects.requireNonNull(ioMode, "ioMode");
        Objects.requireNonNull(initialConfig, "initialConfig");
        interfaces = List.copyOf(interfaces);
        initialMasks = List.copyOf(initialMasks);
        if (offsetSectors < 0) {
            throw new IllegalArgumentException(address + ": offset " + offsetSectors + " sectors is negative; use 0 or more");
        }
        if (lengthSectors.isPresent() && lengthSectors.getAsLong() < 1) {
            throw new IllegalArgumentException(address + ": length " + lengthSectors.getAsLong()
                    + " sectors exports nothing; give at least 1, or none for the rest of the file");
        }
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException(address + ": no interface to serve on; name at least one");
        }
        if (interfaces.stream().distinct().count() != interfaces.size()) {
            throw new IllegalArgumentException(address + ": interfaces " + interfaces + " name one twice; name each once");
        }
        if (bufferCount < 1 || bufferCount > 0xFFFF) {
            throw new IllegalArgumentException(address + ": buffer count " + bufferCount
                    + " is outside 1-65535 (a 16-bit Query Config field)");
        }
        if (initialConfig.isPresent() && ConfigString.encode(initialConfig.get()).length > AoeConstants.MAX_CONFIG_STRING) {
            throw new IllegalArgumentException(address + ": the config string is longer than "
                    + AoeConstants.MAX_CONFIG_STRING + " bytes (r11 3.2); shorten it");
        }
    }

    public static Builder builder(ExportAddress address, Path path, String... interfaces) {
        return new Builder(address, path, List.of(interfaces));
    }

    /** Collects the optional fields; {@link #build} validates. */
    public static final class Builder {
        private final ExportAddress address;
        private final Path path;
        private List<String> interfaces;
        private long offsetSectors;
        private OptionalLong lengthSectors = OptionalLong.empty();
        private boolean readOnly;
        private IoMode ioMode = IoMode.BUFFERED;
        private List<MacAddress> initialMasks = List.of();
        private Optional<String> initialConfig = Optional.empty();
        private int bufferCount = DEFAULT_BUFFER_COUNT;

        private Builder(ExportAddress address, Path path, List<String> interfaces) {
            this.address = address;
            this.path = path;
            this.interfaces = interfaces;
        }

        public Builder interfaces(List<String> names) {
            this.interfaces = List.copyOf(names);
            return this;
        }

        public Builder offsetSectors(long sectors) {
            this.offsetSectors = sectors;
            return this;
        }

        public Builder lengthSectors(long sectors) {
            this.lengthSectors = OptionalLong.of(sectors);
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder ioMode(IoMode mode) {
            this.ioMode = mode;
            return this;
        }

        public Builder initialMasks(List<MacAddress> macs) {
            this.initialMasks = List.copyOf(macs);
            return this;
        }

        public Builder initialConfig(String config) {
            this.initialConfig = Optional.of(config);
            return this;
        }

        public Builder bufferCount(int count) {
            this.bufferCount = count;
            return this;
        }

        public ExportSpec build() {
            return new ExportSpec(address, path, offsetSectors, lengthSectors, readOnly, ioMode, interfaces,
                    initialMasks, initialConfig, bufferCount);
        }
    }
}
