package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackingStoreTest {

    private static final int SECTOR = 512;

    @TempDir
    Path dir;

    private Path image(int sectors, long seed) throws IOException {
        byte[] b = new byte[sectors * SECTOR];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("disk-" + seed + ".img");
        Files.write(p, b);
        return p;
    }

    private BackingStore open(Path p, long offset, OptionalLong length, IoMode mode) throws IOException {
        if (mode == IoMode.DIRECT) {
            try {
                return BackingStore.open(p, offset, length, false, mode);
            } catch (IOException e) {
                assumeTrue(!String.valueOf(e.getMessage()).contains("Invalid argument"),
                        "the temporary directory's file system refuses O_DIRECT: " + e);
                throw e;
            }
        }
        return BackingStore.open(p, offset, length, false, mode);
    }

    @ParameterizedTest
    @EnumSource(IoMode.class)
    void readsAndWritesTheWindowAtOffsetAndNothingElse(IoMode mode) throws IOException {
        Path p = image(64, 1);
        byte[] before = Files.readAllBytes(p);
        try (BackingStore store = open(p, 8, OptionalLong.of(48), mode)) {
            assertThat(store.sectors()).isEqualTo(48);
            // every start and length inside the window, including unaligned ones in DIRECT mode
            Random r = new Random(2);
            byte[] expected = before.clone();
            for (int i = 0; i < 200; i++) {
                int count = 1 + r.nextInt(17);
                long lba = r.nextInt(48 - count + 1);
                ByteBuffer data = ByteBuffer.allocate(7 + count * SECTOR);
                data.position(7);
                byte[] payload = new byte[count * SECTOR];
                r.nextBytes(payload);
                data.put(payload).position(7);
                store.write(lba, count, data);
                assertThat(data.position()).isEqualTo(7 + count * SECTOR);
                System.arraycopy(payload, 0, expected, (int) (8 + lba) * SECTOR, payload.length);

                ByteBuffer back = ByteBuffer.allocateDirect(3 + count * SECTOR);
                back.position(3);
                store.read(lba, count, back);
                byte[] got = new byte[count * SECTOR];
                back.get(3, got);
                assertThat(got).isEqualTo(payload);
            }
            store.flush();
            byte[] after = Files.readAllBytes(p);
            assertThat(Arrays.copyOfRange(after, 0, 8 * SECTOR)).isEqualTo(Arrays.copyOfRange(before, 0, 8 * SECTOR));
            assertThat(Arrays.copyOfRange(after, 56 * SECTOR, 64 * SECTOR))
                    .isEqualTo(Arrays.copyOfRange(before, 56 * SECTOR, 64 * SECTOR));
            assertThat(after).isEqualTo(expected);
        }
    }

    @Test
    void lbaZeroIsTheFileSectorAtTheOffset() throws IOException {
        Path p = image(16, 3);
        byte[] file = Files.readAllBytes(p);
        try (BackingStore store = BackingStore.open(p, 5, OptionalLong.empty(), true, IoMode.BUFFERED)) {
            assertThat(store.sectors()).isEqualTo(11);
            ByteBuffer b = ByteBuffer.allocate(SECTOR);
            store.read(0, 1, b);
            assertThat(b.array()).isEqualTo(Arrays.copyOfRange(file, 5 * SECTOR, 6 * SECTOR));
        }
    }

    @Test
    void refusesEveryRangeOutsideTheWindow() throws IOException {
        try (BackingStore store = BackingStore.open(image(16, 4), 4, OptionalLong.of(8), false, IoMode.BUFFERED)) {
            assertThat(store.contains(0, 8)).isTrue();
            assertThat(store.contains(7, 1)).isTrue();
            assertThat(store.contains(8, 0)).isTrue();
            assertThat(store.contains(8, 1)).isFalse();
            assertThat(store.contains(7, 2)).isFalse();
            assertThat(store.contains(-1, 1)).isFalse();
            assertThat(store.contains(Long.MAX_VALUE, 255)).isFalse();
            ByteBuffer b = ByteBuffer.allocate(2 * SECTOR);
            assertThatThrownBy(() -> store.write(7, 2, b)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside export");
            assertThatThrownBy(() -> store.read(8, 1, b)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readOnlyStoreRefusesWrites() throws IOException {
        try (BackingStore store = BackingStore.open(image(4, 5), 0, OptionalLong.empty(), true, IoMode.SYNC)) {
            assertThat(store.isReadOnly()).isTrue();
            assertThatThrownBy(() -> store.write(0, 1, ByteBuffer.allocate(SECTOR))).hasMessageContaining("read-only");
        }
    }

    @Test
    void ignoresATrailingPartialSector() throws IOException {
        Path p = dir.resolve("odd.img");
        Files.write(p, new byte[3 * SECTOR + 100]);
        try (BackingStore store = BackingStore.open(p, 0, OptionalLong.empty(), false, IoMode.BUFFERED)) {
            assertThat(store.sectors()).isEqualTo(3);
        }
    }

    @Test
    void windowErrorsSayWhatIsWrongWithTheRightNumbers() throws IOException {
        Path p = image(4096 / 8, 6); // 512 sectors
        assertThatThrownBy(() -> BackingStore.open(p, 0, OptionalLong.of(5000), false, IoMode.BUFFERED))
                .hasMessage("length 5000 sectors goes beyond the end of " + p + ": it has 512 sectors, so after offset 0 at"
                        + " most 512 remain; use a length of at most 512");
        assertThatThrownBy(() -> BackingStore.open(p, 100, OptionalLong.of(500), false, IoMode.BUFFERED))
                .hasMessageContaining("after offset 100 at most 412 remain");
        assertThatThrownBy(() -> BackingStore.open(p, 512, OptionalLong.empty(), false, IoMode.BUFFERED))
                .hasMessage("offset 512 sectors is at or beyond the end of " + p + " (512 sectors); use an offset below 512");
        Path empty = Files.write(dir.resolve("empty.img"), new byte[100]);
        assertThatThrownBy(() -> BackingStore.open(empty, 0, OptionalLong.empty(), false, IoMode.BUFFERED))
                .hasMessageContaining("holds no whole 512-byte sector (100 bytes)");
        assertThatThrownBy(() -> BackingStore.open(dir.resolve("missing.img"), 0, OptionalLong.empty(), false, IoMode.BUFFERED))
                .hasMessageContaining("create the image first");
        assertThatThrownBy(() -> BackingStore.open(dir, 0, OptionalLong.empty(), false, IoMode.BUFFERED))
                .hasMessageContaining("is a directory");
    }

    @Test
    void directModeNeedsABlockAlignedWindow() throws IOException {
        Path p = image(64, 7);
        open(p, 0, OptionalLong.empty(), IoMode.DIRECT).close();
        assertThatThrownBy(() -> BackingStore.open(p, 1, OptionalLong.of(8), false, IoMode.DIRECT))
                .hasMessageContaining("align both to").hasMessageContaining("or use the sync I/O mode");
    }
    @Test
    void readAheadServesTheSameBytesAndAWriteByTheSameThreadIsSeenAtOnce() throws IOException {
        Path p = image(64, 5);
        byte[] disk = Files.readAllBytes(p);
        try (BackingStore store = open(p, 8, OptionalLong.of(48), IoMode.BUFFERED)) {
            assertThat(store.readAhead(4, 16)).isTrue();
            // the file changes behind the store: reads inside the read-ahead still see the batch's snapshot
            Files.write(p, new byte[64 * SECTOR]);
            ByteBuffer got = ByteBuffer.allocate(3 * SECTOR);
            store.read(10, 3, got);
            assertThat(got.array()).isEqualTo(Arrays.copyOfRange(disk, (8 + 10) * SECTOR, (8 + 13) * SECTOR));

            // a write by this thread ends the read-ahead, so its own next read sees the write
            byte[] written = new byte[SECTOR];
            Arrays.fill(written, (byte) 0x5A);
            store.write(11, 1, ByteBuffer.wrap(written));
            ByteBuffer after = ByteBuffer.allocate(SECTOR);
            store.read(11, 1, after);
            assertThat(after.array()).isEqualTo(written);

            // outside the read-ahead, and after it is forgotten, reads go to the file
            assertThat(store.readAhead(0, 4)).isTrue();
            store.forgetReadAhead();
            ByteBuffer fresh = ByteBuffer.allocate(SECTOR);
            store.read(0, 1, fresh);
            assertThat(fresh.array()).isEqualTo(new byte[SECTOR]);
        }
    }

    @Test
    void readAheadRefusesWhatLeavesTheWindowOrIsTooLarge() throws IOException {
        Path p = image(ReadAhead.CAPACITY_SECTORS + 8, 6);
        try (BackingStore store = open(p, 8, OptionalLong.empty(), IoMode.BUFFERED)) {
            assertThat(store.readAhead(ReadAhead.CAPACITY_SECTORS - 8, 9)).isFalse();
            assertThat(store.readAhead(0, ReadAhead.CAPACITY_SECTORS)).isTrue();
            assertThat(store.readAhead(0, 1)).isFalse(); // full until forgotten
        }
    }
}
