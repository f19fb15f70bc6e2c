package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A real file channel that fails where a test says: a gathered write can stop after some bytes
 * (returning short, or throwing as a disk error would), and positional writes that touch one
 * byte range can fail. Everything else goes to the file. It logs the writes and flushes in the
 * order they reached it, so a test can see how many system calls a batch took and in what order.
 */
final class FaultyChannel extends FileChannel {

    private final FileChannel file;
    /** Gathered writes stop after this many bytes; -1: they write everything. */
    long gatheredStopsAfter = -1;
    /** Whether a gathered write that stopped throws (a disk error) instead of returning short. */
    boolean gatheredThrows;
    /** Positional writes touching bytes [failFrom, failTo) throw; empty by default. */
    long failFrom;
    long failTo;
    final List<String> log = new ArrayList<>();

    FaultyChannel(FileChannel file) {
        this.file = file;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long position = file.position();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        log.add("gathered " + position + "+" + total);
        if (gatheredStopsAfter < 0 || gatheredStopsAfter >= total) {
            return file.write(srcs, offset, length);
        }
        long left = gatheredStopsAfter;
        long written = 0;
        for (int i = offset; i < offset + length && left > 0; i++) {
            ByteBuffer part = srcs[i].slice(srcs[i].position(), (int) Math.min(left, srcs[i].remaining()));
            int n = file.write(part);
            srcs[i].position(srcs[i].position() + n);
            left -= n;
            written += n;
        }
        if (gatheredThrows) {
            throw new IOException("Input/output error (the test's disk failed after " + written + " bytes)");
        }
        return written;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        log.add("write " + position + "+" + src.remaining());
        if (position < failTo && position + src.remaining() > failFrom) {
            throw new IOException("Input/output error (the test's disk fails at bytes " + failFrom + ".." + failTo + ")");
        }
        return file.write(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        log.add("force");
        file.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return file.write(src);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return file.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
