package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FUSE directory on its own, no loop device: what ls, stat and a second mount see. */
class FuseServerIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private Path mountpoint;

    @BeforeEach
    void requireRootAndFuse() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount FUSE");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");
        mountpoint = Files.createTempDirectory(Path.of("/run"), "aoe-fuse-it").resolve("mnt");
    }

    @AfterEach
    void removeMountpoint() throws IOException {
        if (mountpoint != null) {
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(mountpoint.toString());
            Files.deleteIfExists(mountpoint);
            Files.deleteIfExists(mountpoint.getParent());
        }
    }

    @Test
    void listsOneRegularFilePerBackendWithItsSize() throws Exception {
        try (FuseServer server = FuseServer.mount(mountpoint, Map.of("e1.0", new MemoryBackend(1 << 20), "e1.1", new MemoryBackend(3 << 20)), 2, DEADLINE)) {
            try (Stream<Path> files = Files.list(server.mountpoint())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("e1.0", "e1.1");
            }
            assertThat(Files.isRegularFile(server.file("e1.1"))).isTrue();
            assertThat(Files.size(server.file("e1.1"))).isEqualTo(3 << 20);
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(mountpoint + " ").contains(FuseServer.FS_TYPE);
            assertThatThrownBy(() -> Files.size(server.mountpoint().resolve("e9.9"))).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(mountpoint).doesNotExist();
    }

    @Test
    void refusesToMountOverAnExistingMount() throws Exception {
        try (FuseServer server = FuseServer.mount(mountpoint, Map.of("e1.0", new MemoryBackend(1 << 20)), 1, DEADLINE)) {
            assertThatThrownBy(() -> FuseServer.mount(mountpoint, Map.of("e1.0", new MemoryBackend(1 << 20)), 1, DEADLINE))
                    .isInstanceOf(IOException.class).hasMessageContaining("already a mount point");
            assertThat(Files.size(server.file("e1.0"))).as("the first mount still serves").isEqualTo(1 << 20);
        }
    }
}
