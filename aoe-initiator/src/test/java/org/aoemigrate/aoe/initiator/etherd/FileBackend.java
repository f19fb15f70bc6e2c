package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block backend over a plain file, for tests and the benchmark: counts flushes, and can be
 * told to fail every call (as a target that went away) or to hang in reads and writes (as a
 * target that stopped answering, with no deadline).
 */
final class FileBackend implements BlockBackend, AutoCloseable {

    private final FileChannel channel;
    private final long size;
    private final AtomicInteger flushes = new AtomicInteger();
    private volatile String failure;
    private volatile CountDownLatch hang;
    private final AtomicInteger hanging = new AtomicInteger();

    FileBackend(Path file, long size) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.size = size;
        if (channel.size() < size) {
            channel.truncate(size); // no-op when larger; a sparse file of the device size
            channel.write(ByteBuffer.allocate(1), size - 1);
        }
    }

    int flushes() {
        return flushes.get();
    }

    /** From now on every call throws an IOException with this message. */
    void failWith(String message) {
        failure = message;
    }

    /** From now on reads and writes block until the returned latch is counted down. */
    CountDownLatch hang() {
        CountDownLatch latch = new CountDownLatch(1);
        hang = latch;
        return latch;
    }

    /** How many calls are hanging right now. */
    int hanging() {
        return hanging.get();
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        check();
        while (dst.hasRemaining()) {
            if (channel.read(dst, offset + dst.position()) < 0) {
                throw new IOException("read past the end of the backing file at " + offset);
            }
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        check();
        long at = offset;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    @Override
    public void flush() throws IOException {
        check();
        channel.force(false);
        flushes.incrementAndGet();
    }

    private void check() throws IOException {
        CountDownLatch latch = hang;
        if (latch != null) {
            hanging.incrementAndGet();
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while hanging", e);
            } finally {
                hanging.decrementAndGet();
            }
        }
        if (failure != null) {
            throw new IOException(failure);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
