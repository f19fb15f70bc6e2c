package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.sysfs.AoeStatEntry;

/**
 * How one userspace-attached device stands, as its attach process publishes it for
 * {@code aoe-initiator stat}: what the kernel driver keeps in sysfs ({@code size}, {@code netif},
 * {@code payload}, {@code state}), plus the process, node and loop device behind it.
 *
 * @param name    {@code eS.L}
 * @param pid     the attach process
 * @param node    {@code DIR/eS.L}
 * @param loop    {@code /dev/loopN}
 * @param sectors capacity in 512-byte sectors
 * @param netifs  the local interfaces of its paths
 * @param payload data bytes per frame
 * @param state   {@code up} while a path answers, {@code down} while none does (I/O then waits up to the
 *                dead time and fails)
 * @param paths   {@code iface->target-mac} of each path, with {@code (down)} after a dead one
 */
public record EtherdStatus(AoeAddress name, long pid, Path node, Path loop, long sectors, List<String> netifs, int payload,
        String state, List<String> paths) {

    public EtherdStatus {
        netifs = List.copyOf(netifs);
        paths = List.copyOf(paths);
    }

    /** The line {@code stat} prints for it, in aoe-stat's columns. */
    public AoeStatEntry toStatEntry() {
        return new AoeStatEntry(name.toString(), sectors, String.join(",", netifs), payload, state);
    }

    /** The file's text: Java properties, one attribute a line. */
    public String format() {
        Properties p = new Properties();
        p.setProperty("name", name.toString());
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("node", node.toString());
        p.setProperty("loop", loop.toString());
        p.setProperty("sectors", Long.toString(sectors));
        p.setProperty("netif", String.join(",", netifs));
        p.setProperty("payload", Integer.toString(payload));
        p.setProperty("state", state);
        p.setProperty("paths", String.join(" ", paths));
        StringWriter text = new StringWriter();
        try {
            p.store(text, "aoe-initiator attach: a userspace /dev/etherd device");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /** Reads what {@link #format()} wrote. */
    public static EtherdStatus parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EtherdStatus(AoeAddress.parse(required(p, "name")), Long.parseLong(required(p, "pid")), Path.of(required(p, "node")),
                Path.of(required(p, "loop")), Long.parseLong(required(p, "sectors")), words(required(p, "netif"), ","),
                Integer.parseInt(required(p, "payload")), required(p, "state"), words(required(p, "paths"), " "));
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("the status has no '" + key + "'");
        }
        return value;
    }

    private static List<String> words(String text, String separator) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(separator));
    }
}
