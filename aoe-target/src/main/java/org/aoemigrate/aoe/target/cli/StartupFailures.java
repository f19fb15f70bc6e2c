package org.aoemigrate.aoe.target.cli;

import java.io.IOException;
import org.aoemigrate.aoe.link.LinkSyscallException;
import org.aoemigrate.aoe.target.DuplicateTargetException;
import org.aoemigrate.cli.CommandFailure;

/** Turns what went wrong while starting the target into the one line and the status the operator gets. */
final class StartupFailures {

    private StartupFailures() {
    }

    /** A failure of {@code TargetServer.start}: a duplicate target, an interface, or else an export. */
    static CommandFailure of(IOException e) {
        if (e instanceof DuplicateTargetException d) {
            return new CommandFailure(ExitStatus.ADDRESS_IN_USE, d.getMessage(), d);
        }
        if (e instanceof PacketSocketOpener.InterfaceFailure f) {
            return ofInterface(f.interfaceName(), (Exception) f.getCause());
        }
        if (e instanceof LinkSyscallException s) {
            return ofInterface(s.interfaceName(), s);
        }
        return new CommandFailure(ExitStatus.EXPORT, e.getMessage(), e);
    }

    /** Opening {@code name} failed. */
    static CommandFailure ofInterface(String name, Exception e) {
        if (e instanceof LinkSyscallException s) {
            switch (s.errnoName()) {
                case "EPERM", "EACCES" -> {
                    return new CommandFailure(ExitStatus.PERMISSION,
                            "opening a raw socket on " + name + " needs root or CAP_NET_RAW", e);
                }
                case "ENODEV" -> {
                    return new CommandFailure(ExitStatus.NETWORK, "there is no interface " + name
                            + " in this network namespace; 'ip link' lists the ones there are", e);
                }
                default -> {
                    return new CommandFailure(ExitStatus.NETWORK, e.getMessage(), e);
                }
            }
        }
        return new CommandFailure(ExitStatus.NETWORK, "cannot serve on " + name + ": " + e.getMessage(), e);
    }
}
