package org.aoemigrate.aoe.initiator;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.wire.MacAddress;

/** An {@link EthernetLink} that passes everything to another; tests override what they disturb. */
public class ForwardingLink implements EthernetLink {

    private final EthernetLink link;

    protected ForwardingLink(EthernetLink link) {
        this.link = link;
    }

    @Override
    public String name() {
        return link.name();
    }

    @Override
    public MacAddress mac() {
        return link.mac();
    }

    @Override
    public int mtu() throws IOException {
        return link.mtu();
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
        link.send(frame);
    }

    @Override
    public boolean receive(ByteBuffer into, long timeoutMillis) throws IOException {
        return link.receive(into, timeoutMillis);
    }

    @Override
    public long drops() throws IOException {
        return link.drops();
    }

    @Override
    public void close() throws IOException {
        link.close();
    }
}
