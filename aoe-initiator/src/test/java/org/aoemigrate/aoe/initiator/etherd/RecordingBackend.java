package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a backend and records the largest request and the most requests in flight at once; each
 * read and write lingers a little so that requests the kernel sends together overlap here.
 */
final class RecordingBackend implements BlockBackend {

    private final BlockBackend inner;
    private final long lingerMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger largestRequest = new AtomicInteger();

    RecordingBackend(BlockBackend inner, long lingerMillis) {
        this.inner = inner;
        this.lingerMillis = lingerMillis;
    }

    int mostInFlight() {
        return mostInFlight.get();
    }

    int largestRequest() {
        return largestRequest.get();
    }

    @Override
    public long sizeBytes() {
        return inner.sizeBytes();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        enter(dst.remaining());
        try {
            inner.read(offset, dst);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        enter(src.remaining());
        try {
            inner.write(offset, src);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    private void enter(int size) throws IOException {
        largestRequest.accumulateAndGet(size, Math::max);
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Thread.sleep(lingerMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
