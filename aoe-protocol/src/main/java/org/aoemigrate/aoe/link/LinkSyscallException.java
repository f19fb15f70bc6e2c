package org.aoemigrate.aoe.link;

import java.io.IOException;

/**
 * A system call on a packet socket failed. The message names the call, the interface and the
 * errno, e.g. {@code send on vT failed: ENETDOWN (Network is down)}; callers that react to a
 * particular failure (a link going down) test {@link #errnoName()}.
 */
public final class LinkSyscallException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final String interfaceName;
    private final int errno;
    private final String errnoName;

    LinkSyscallException(String call, String interfaceName, int errno, String errnoName, String description) {
        super(call + " on " + interfaceName + " failed: " + errnoName + " (" + description + ")" + hint(errno));
        this.call = call;
        this.interfaceName = interfaceName;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Native.EPERM -> "; raw packet sockets need root or CAP_NET_RAW";
            case Native.ENODEV -> "; there is no interface of that name in this network namespace (ip link lists them)";
            case Native.ENETDOWN -> "; bring the interface up (ip link set ... up)";
            case Native.EMSGSIZE -> "; the frame is longer than the interface's MTU + 14";
            default -> "";
        };
    }

    public String call() {
        return call;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return errnoName;
    }
}
