package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where the {@link RequestHandler} puts its replies: the link in the serve loop, a list in tests. */
@FunctionalInterface
public interface ReplySink {

    /** Sends the frame between {@code reply}'s position and limit; the buffer is reused after the call. */
    void send(ByteBuffer reply) throws IOException;
}
