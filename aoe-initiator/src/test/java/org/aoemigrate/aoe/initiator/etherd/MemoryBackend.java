package org.aoemigrate.aoe.initiator.etherd;

import java.nio.ByteBuffer;

/** A backend in one direct buffer (up to 2 GiB): the fastest possible backend, for the benchmark. */
final class MemoryBackend implements BlockBackend {

    private final ByteBuffer memory;

    MemoryBackend(int size) {
        this.memory = ByteBuffer.allocateDirect(size);
    }

    @Override
    public long sizeBytes() {
        return memory.capacity();
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        dst.put(memory.slice((int) offset, dst.remaining()));
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        memory.slice((int) offset, src.remaining()).put(src);
    }

    @Override
    public void flush() {
        // memory is as durable as it gets
    }
}
