package org.aoemigrate.aoe.target.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.ExportStateStore;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up line of an export, from a server on an in-memory hub (no root needed). */
class StartupBannerTest {

    @Test
    void namesSizeModeFileAndEachPathWithMacMtuSectorsPerFrameAndBuffers(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(2048 * 512);
        }
        MemoryHub hub = new MemoryHub();
        LinkOpener opener = (name, frames) -> new LinkOpener.Opened(
                hub.port(name, MacAddress.parse(name.equals("vT") ? "02:00:00:00:00:01" : "02:00:00:00:00:02"),
                        name.equals("vT") ? 1500 : 9000), 8);
        ExportSpec spec = ExportSpec.builder(new ExportAddress(1, 1), image, "vT", "vT2").readOnly(true)
                .ioMode(IoMode.SYNC).offsetSectors(48).bufferCount(32)
                .initialMasks(List.of(MacAddress.parse("02:00:00:00:00:0a"))).initialConfig("vm1").build();
        try (TargetServer server = new TargetServer(List.of(spec), ExportStateStore.inMemory(), opener, Duration.ZERO)) {
            server.start();
            assertThat(StartupBanner.exportLine(42, server.exports().get(0), server.links())).isEqualTo(
                    "pid 42: e1.1, 2000 sectors O_RDONLY sync, " + image.toRealPath()
                    + ", on vT (02:00:00:00:00:01, MTU 1500, 2 sectors per frame, 8 buffers)"
                    + " and vT2 (02:00:00:00:00:02, MTU 9000, 17 sectors per frame, 8 buffers),"
                    + " answering only 1 MAC, config string \"vm1\"");
        }
    }
}
