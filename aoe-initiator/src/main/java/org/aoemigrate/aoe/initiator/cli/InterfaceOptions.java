package org.aoemigrate.aoe.initiator.cli;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Option;

/**
 * {@code -i IFACE}, repeatable, shared by every command that talks AoE. Without it a command
 * uses every interface of the current network namespace that is up, is not loopback and has an
 * Ethernet MAC: the same rule as the Linux driver with an empty {@code aoe_iflist} and as
 * {@code aoe-sancheck}. On a host with a management NIC, name the storage interfaces.
 */
public final class InterfaceOptions {

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", split = ",",
            description = "Interface to use; repeat (or comma-separate) for several. Default: every up,"
                    + " non-loopback interface with a MAC in this network namespace.")
    List<String> names = new ArrayList<>();

    /** The interfaces named, or the default set; fails if there are none. */
    List<String> resolve() throws CommandFailure {
        if (!names.isEmpty()) {
            return List.copyOf(names);
        }
        List<String> found = defaultInterfaces();
        if (found.isEmpty()) {
            throw new CommandFailure(ExitStatus.NETWORK, "no interface is up here (apart from loopback);"
                    + " bring the storage interface up, or name one with -i IFACE");
        }
        return found;
    }

    /** Every up, non-loopback interface with a six-byte MAC, sorted by name. */
    static List<String> defaultInterfaces() throws CommandFailure {
        List<String> found = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                byte[] mac = nif.getHardwareAddress();
                if (nif.isUp() && !nif.isLoopback() && !nif.isVirtual() && mac != null && mac.length == 6) {
                    found.add(nif.getName());
                }
            }
        } catch (SocketException e) {
            throw new CommandFailure(ExitStatus.NETWORK, "cannot list this host's interfaces: " + e.getMessage()
                    + "; name them with -i IFACE", e);
        }
        Collections.sort(found);
        return found;
    }
}
