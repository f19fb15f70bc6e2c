package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.AoeFrame;
import org.aoemigrate.aoe.wire.AoeProtocolException;

/**
 * One ATA data command of a direct-I/O export on its way through the {@link DirectIoPool}: a
 * copy of the request frame in a buffer of its own (the reply is built in place in it), what to
 * do, and its place in its export's {@link IoOrder}. Pooled: the pool makes all of them at start
 * and reuses them, so a request costs no allocation. As a {@link ReplySink} it sends its reply
 * straight out on the link it came in on.
 */
final class IoRequest implements ReplySink {

    /** What the request does to the backing store. */
    enum Kind {
        READ, WRITE, FLUSH
    }

    private final ByteBuffer buffer;
    private final AoeFrame frame = new AoeFrame();

    ServedLink link;
    Export export;
    Kind kind;
    long lba;
    int count;

    // kept by IoOrder under its lock
    /** Admitted, but held back behind an earlier request it conflicts with. */
    boolean held;
    IoRequest earlier;
    IoRequest later;
    /** The next request released by the same completion (a chain, so a release allocates nothing). */
    IoRequest nextReleased;
    /**
     * In a run of adjacent reads served with one device read ({@link DirectIoPool}): the next
     * read of the run; set on every member but the last. The first member stands for the run.
     */
    IoRequest nextInRun;

    /** @param bufferBytes room for the largest request and reply: {@link RequestHandler#MAX_REPLY} */
    IoRequest(int bufferBytes) {
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    /** Takes a copy of {@code request} (header and, for a write, its data) and what to do with it. */
    void fill(ServedLink link, Export export, AoeFrame request, Kind kind, long lba, int count) {
        buffer.clear().put(0, request.buffer(), request.base(), request.length()).limit(request.length());
        try {
            frame.reset(buffer);
        } catch (AoeProtocolException e) {
            throw new IllegalStateException("a copied AoE frame stopped being one", e);
        }
        this.link = link;
        this.export = export;
        this.kind = kind;
        this.lba = lba;
        this.count = count;
    }

    /** The copied request; the handler turns it into the reply in place. */
    AoeFrame frame() {
        return frame;
    }

    /** Forgets the link and export, so a pooled request keeps nothing of a stopped server alive. */
    void clear() {
        link = null;
        export = null;
        earlier = later = nextReleased = nextInRun = null;
        held = false;
    }

    @Override
    public void send(ByteBuffer reply) throws IOException {
        link.link().send(reply);
    }

    @Override
    public String toString() {
        return kind + " " + lba + "+" + count + (held ? " (held)" : "");
    }
}
