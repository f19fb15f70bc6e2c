package org.aoemigrate.aoe.initiator.cli;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.AoeException;
import org.aoemigrate.aoe.initiator.DeviceStats;
import org.aoemigrate.aoe.initiator.TargetPath;
import org.aoemigrate.aoe.initiator.check.DeviceLookup;
import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * A closed-loop load: {@code window} buffers circulate, each going out as one asynchronous I/O as
 * soon as its previous I/O completes (issued by the completing thread, see {@link Loop}), until
 * the time is up; then every I/O in flight is awaited, so the figures count only completed work.
 */
final class BenchRun {

    private final AoeDevice device;
    private final boolean write;
    private final boolean random;
    private final int block;
    private final int window;
    private final Duration duration;
    private final Duration drainTimeout;

    /** {@code drainTimeout}: how long I/Os still in flight at the end may take (the request deadline). */
    BenchRun(AoeDevice device, boolean write, boolean random, int block, int window, Duration duration,
            Duration drainTimeout) {
        this.device = device;
        this.write = write;
        this.random = random;
        this.block = block;
        this.window = window;
        this.duration = duration;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Keeps one buffer busy: each completion issues the buffer's next I/O at once, on the thread
     * that completed it (the initiator's receive thread), so no I/O waits for a hand-off to
     * another thread; after the end time, or a failure, the buffer goes back to {@code idle}.
     */
    private final class Loop {
        private final long blockSectors;
        private final long blocks;
        private final long end;
        private final AtomicReference<Throwable> failure;
        private final LongAdder completed;
        private final AtomicLong next;
        private final BlockingQueue<ByteBuffer> idle;

        Loop(long blockSectors, long blocks, long end, AtomicReference<Throwable> failure, LongAdder completed,
                AtomicLong next, BlockingQueue<ByteBuffer> idle) {
            this.blockSectors = blockSectors;
            this.blocks = blocks;
            this.end = end;
            this.failure = failure;
            this.completed = completed;
            this.next = next;
            this.idle = idle;
        }

        void issue(ByteBuffer buffer) {
            if (failure.get() != null || end - System.nanoTime() <= 0) {
                idle.add(buffer);
                return;
            }
            long index = random ? ThreadLocalRandom.current().nextLong(blocks) : next.getAndIncrement() % blocks;
            buffer.clear();
            (write ? device.writeAsync(index * blockSectors, buffer) : device.readAsync(index * blockSectors, buffer))
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            completed.increment();
                        }
                        issue(buffer);
                    });
        }
    }

    BenchResult run() throws IOException, InterruptedException {
        BlockingQueue<ByteBuffer> idle = new ArrayBlockingQueue<>(window);
        byte[] pattern = new byte[block];
        ThreadLocalRandom.current().nextBytes(pattern);
        for (int i = 0; i < window; i++) {
            idle.add(ByteBuffer.allocateDirect(block).put(pattern).clear());
        }
        long blockSectors = block / AoeConstants.SECTOR_SIZE;
        long blocks = device.sectors() / blockSectors;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder completed = new LongAdder();
        AtomicLong next = new AtomicLong();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        DeviceStats before = device.stats();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Loop loop = new Loop(blockSectors, blocks, end, failure, completed, next, idle);
        for (int i = 0; i < window; i++) {
            loop.issue(idle.poll());
        }
        long left;
        while (failure.get() == null && (left = end - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
        // every buffer back in hand means every I/O has finished
        long drainEnd = System.nanoTime() + drainTimeout.toNanos() + 1_000_000_000L;
        for (int i = 0; i < window; i++) {
            if (idle.poll(Math.max(0, drainEnd - System.nanoTime()), TimeUnit.NANOSECONDS) == null) {
                throw new AoeException(device.address() + ": " + (window - i) + " benchmark I/Os were still unfinished "
                        + DeviceLookup.seconds(drainTimeout) + " after the run ended");
            }
        }
        long wall = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        if (failure.get() != null) {
            Throwable e = failure.get() instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure.get();
            throw e instanceof IOException io ? io : new AoeException(device.address() + ": benchmark I/O failed: " + e, e);
        }
        DeviceStats after = device.stats();
        long ios = completed.sum();
        long requests = after.answers() - before.answers();
        double seconds = wall / 1e9;
        return new BenchResult(device.address(), write ? "write" : "read", random ? "random" : "sequential", block, window,
                seconds, ios * block, ios * block / (1024.0 * 1024.0) / seconds, ios / seconds, requests / seconds,
                after.retransmissions() - before.retransmissions(), 100.0 * cpu / wall,
                requests > 0 ? cpu / 1000.0 / requests : 0, device.paths().stream().map(TargetPath::label).toList());
    }
}
