package org.aoemigrate.aoe.wire;

import java.nio.ByteBuffer;

/**
 * The buffers a frame may arrive in. The codec must read the same fields from each: heap and
 * direct memory, and a frame that starts part-way into a larger buffer (offsets are from the
 * position, not from index 0).
 */
enum BufferKind {
    HEAP {
        @Override
        ByteBuffer allocate(int capacity) {
            return ByteBuffer.allocate(capacity);
        }
    },
    DIRECT {
        @Override
        ByteBuffer allocate(int capacity) {
            return ByteBuffer.allocateDirect(capacity);
        }
    },
    HEAP_AT_OFFSET {
        @Override
        ByteBuffer allocate(int capacity) {
            ByteBuffer b = ByteBuffer.allocate(capacity + 2 * SHIFT);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) 0xEE);
            }
            return b.position(SHIFT).limit(SHIFT + capacity);
        }
    },
    DIRECT_AT_OFFSET {
        @Override
        ByteBuffer allocate(int capacity) {
            ByteBuffer b = ByteBuffer.allocateDirect(capacity + 2 * SHIFT);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) 0xEE);
            }
            return b.position(SHIFT).limit(SHIFT + capacity);
        }
    };

    /** Junk bytes before and after the frame in the offset kinds. */
    private static final int SHIFT = 7;

    /** An empty region of {@code capacity} bytes between position and limit. */
    abstract ByteBuffer allocate(int capacity);

    /** The frame between position and limit. */
    ByteBuffer wrap(byte[] frame) {
        ByteBuffer b = allocate(frame.length);
        b.put(b.position(), frame);
        return b;
    }

    /** Encodes the message (padded) into this kind of buffer and decodes it again. */
    AoeMessage roundTrip(AoeMessage message) throws AoeProtocolException {
        ByteBuffer frame = allocate(Math.max(AoeConstants.MIN_FRAME, AoeCodec.encodedLength(message)));
        int start = frame.position();
        AoeCodec.encode(message, frame);
        return AoeCodec.decode(frame.flip().position(start));
    }

    /** The bytes between position and limit, without moving them. */
    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return a;
    }
}
