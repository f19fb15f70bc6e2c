package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A block device behind an export: a loop device over a temporary file (root and losetup
 * needed; skipped cleanly without them, never skipped in CI). The size must come from the
 * device, not from the zero that stat reports for it.
 */
class BackingStoreBlockDeviceIT {

    private static final int SECTORS = 8192; // 4 MiB

    @TempDir
    Path dir;

    /** A loop device over a file, detached on close. */
    private static final class Loop implements AutoCloseable {
        final Path device;

        Loop(Path file) throws IOException, InterruptedException {
            device = Path.of(run("losetup", "--find", "--show", file.toString()).strip());
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run("losetup", "-d", device.toString());
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private Loop loop(long seed) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to attach a loop device");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/losetup")) || Files.isExecutable(Path.of("/sbin/losetup")),
                "needs losetup (util-linux)");
        byte[] b = new byte[SECTORS * 512];
        new Random(seed).nextBytes(b);
        return new Loop(Files.write(dir.resolve("backing.img"), b));
    }

    @ParameterizedTest
    @EnumSource(IoMode.class)
    void servesTheDevicesSectorsAndWritesReachIt(IoMode mode) throws Exception {
        try (Loop loop = loop(mode.ordinal())) {
            Path backing = dir.resolve("backing.img");
            byte[] original = Files.readAllBytes(backing);
            try (BackingStore store = BackingStore.open(loop.device, 8, OptionalLong.empty(), false, mode)) {
                assertThat(store.sectors()).isEqualTo(SECTORS - 8);
                ByteBuffer first = ByteBuffer.allocate(1024);
                store.read(0, 2, first);
                assertThat(first.array()).isEqualTo(Arrays.copyOfRange(original, 8 * 512, 10 * 512));

                byte[] payload = new byte[1536];
                new Random(99).nextBytes(payload);
                store.write(store.sectors() - 3, 3, ByteBuffer.wrap(payload));
                store.flush();
                ByteBuffer back = ByteBuffer.allocate(1536);
                store.read(store.sectors() - 3, 3, back);
                assertThat(back.array()).isEqualTo(payload);
            }
            byte[] after = Files.readAllBytes(backing);
            assertThat(Arrays.copyOfRange(after, (SECTORS - 3) * 512, SECTORS * 512)).isEqualTo(payload(99));
            assertThat(Arrays.copyOfRange(after, 0, (SECTORS - 3) * 512))
                    .isEqualTo(Arrays.copyOfRange(original, 0, (SECTORS - 3) * 512));
        }
    }

    private static byte[] payload(long seed) {
        byte[] payload = new byte[1536];
        new Random(seed).nextBytes(payload);
        return payload;
    }

    @Test
    void windowErrorsUseTheDevicesSize() throws Exception {
        try (Loop loop = loop(7)) {
            assertThatThrownBy(() -> BackingStore.open(loop.device, 0, OptionalLong.of(SECTORS + 1), false, IoMode.BUFFERED))
                    .hasMessageContaining("it has " + SECTORS + " sectors");
        }
    }
}
