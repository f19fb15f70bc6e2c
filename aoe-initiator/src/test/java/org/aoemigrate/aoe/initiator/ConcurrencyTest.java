package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads on two devices behind one target interface, over two paths each. */
class ConcurrencyTest {

    static final int SECTORS = 4096;
    static final int THREADS_PER_DEVICE = 3;

    @TempDir
    Path dir;
    HubLab lab;

    @BeforeEach
    void setUp() {
        lab = new HubLab(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void parallelWritersOnTwoDevicesEachSeeTheirOwnData() throws Exception {
        lab.targetInterface("ta", "a", 1500);
        lab.targetInterface("tb", "b", 9000);
        Path image1 = lab.disk("d1", SECTORS, 1);
        Path image2 = lab.disk("d2", SECTORS, 2);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 0), image1, "ta", "tb").build(),
                ExportSpec.builder(new ExportAddress(1, 1), image2, "ta", "tb").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("ia", "a", 1500),
                lab.initiatorPort("ib", "b", 9000));
        List<AoeDevice> disks = List.of(aoe.open(new AoeAddress(1, 0)), aoe.open(new AoeAddress(1, 1)));
        assertThat(disks.get(0).sectorsPerFrame()).as("the smaller path decides").isEqualTo(2);

        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_DEVICE);
        List<Future<?>> work = new ArrayList<>();
        byte[][] expected = {HubLab.fileBytes(image1, 0, SECTORS * 512), HubLab.fileBytes(image2, 0, SECTORS * 512)};
        for (int d = 0; d < 2; d++) {
            for (int t = 0; t < THREADS_PER_DEVICE; t++) {
                AoeDevice disk = disks.get(d);
                byte[] mirror = expected[d];
                // each thread owns a stripe of the disk, so the final content is defined
                int stripe = SECTORS / THREADS_PER_DEVICE;
                long first = (long) t * stripe;
                long seed = d * 100L + t;
                work.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int round = 0; round < 30; round++) {
                        int sectors = 1 + random.nextInt(40);
                        long lba = first + random.nextInt(stripe - sectors);
                        byte[] data = new byte[sectors * 512];
                        random.nextBytes(data);
                        disk.write(lba, ByteBuffer.wrap(data));
                        System.arraycopy(data, 0, mirror, (int) lba * 512, data.length);
                        ByteBuffer back = ByteBuffer.allocate(data.length);
                        disk.read(lba, back);
                        assertThat(back.array()).isEqualTo(data);
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : work) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Path[] images = {image1, image2};
        for (int d = 0; d < 2; d++) {
            byte[] now = HubLab.fileBytes(images[d], 0, SECTORS * 512);
            ByteBuffer all = ByteBuffer.allocate(SECTORS * 512);
            disks.get(d).read(0, all);
            assertThat(now).as("device %d's image holds every write, in order", d).isEqualTo(expected[d]);
            assertThat(all.array()).as("device %d reads what its image holds", d).isEqualTo(now);
        }
        assertThat(aoe.internalFailures()).isZero();
    }
}
