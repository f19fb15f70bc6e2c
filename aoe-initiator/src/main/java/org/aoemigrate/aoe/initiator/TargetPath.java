package org.aoemigrate.aoe.initiator;

import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One way to reach a discovered device: a local interface and the target MAC that answered on
 * it, with what that target port advertised.
 *
 * @param link            the local interface name
 * @param target          the MAC the target answered from
 * @param bufferCount     requests that port can queue (Query Config buffer count)
 * @param sectorsPerFrame sectors per ATA frame on this path: the target's maximum, capped by
 *                        what the local interface's MTU carries
 */
public record TargetPath(String link, MacAddress target, int bufferCount, int sectorsPerFrame) {

    /** {@code link->target}, as in messages. */
    public String label() {
        return link + "->" + target;
    }
}
