package org.aoemigrate.aoe.initiator;

import java.nio.ByteBuffer;

/** Whoever owns an {@link Exchange}: a device, or a discovery round. */
interface ReplySink {

    /**
     * A response whose tag points at {@code exchange} arrived on {@code link}. Runs on that
     * link's receive thread; the frame buffer is reused after the call returns. The sink checks,
     * under its own lock, that the exchange is still its own and still owns the tag.
     */
    void onReply(Exchange exchange, int tag, ByteBuffer frame, LinkPort link);
}
