package org.aoemigrate.aoe.target.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;

/**
 * tshark capturing one interface inside a namespace into a file, stopped by PID with SIGINT (so
 * it finishes the file), then decoding it: Wireshark's AoE dissector is an independent reading
 * of r11, so frames it calls malformed are frames a real initiator may choke on.
 */
final class TsharkCapture {

    private final NetnsProcess tshark;
    private final Path file;

    private TsharkCapture(NetnsProcess tshark, Path file) {
        this.tshark = tshark;
        this.file = file;
    }

    static TsharkCapture start(Netns net, Netns.Namespace ns, String iface, Path file) throws InterruptedException {
        NetnsProcess p = net.start(ns, "tshark", List.of("tshark", "-n", "-i", iface, "-w", file.toString()));
        p.awaitLine("Capturing on", Duration.ofSeconds(30));
        return new TsharkCapture(p, file);
    }

    /** SIGINT by PID, then wait: tshark writes out the frames it holds and exits 0. */
    void stop() throws InterruptedException {
        if (!tshark.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(tshark.pid())).inheritIO().start().waitFor();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot signal tshark (pid " + tshark.pid() + ")", e);
        }
        tshark.waitFor(Duration.ofSeconds(20));
    }

    /** {@code tshark -r FILE -V}: every frame, every field. */
    String verbose(Netns net, Netns.Namespace ns) {
        return net.exec(ns, Duration.ofSeconds(60), "tshark", "-n", "-r", file.toString(), "-V").orThrow().stdout();
    }

    /**
     * Frames counted by kind, e.g. {@code "ATA 0xec request"}, {@code "ATA 0x24 response"} (the
     * dissector pairs replies with their requests), {@code "Query Config response"}.
     */
    Map<String, Integer> kinds(Netns net, Netns.Namespace ns) {
        CommandResult r = net.exec(ns, Duration.ofSeconds(60), "tshark", "-n", "-r", file.toString(), "-Y", "aoe",
                "-T", "fields", "-E", "separator=,", "-e", "aoe.cmd", "-e", "aoe.response", "-e", "aoe.ata.cmd").orThrow();
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : r.stdout().strip().split("\n")) {
            String[] f = line.split(",", -1);
            boolean response = f[1].equals("1") || f[1].equalsIgnoreCase("true");
            String kind = switch (f[0]) {
                case "0" -> "ATA" + (f[2].isEmpty() ? "" : " 0x" + Integer.toHexString(Integer.decode(f[2])));
                case "1" -> "Query Config";
                case "2" -> "MAC Mask";
                case "3" -> "Reserve/Release";
                default -> "command " + f[0];
            };
            counts.merge(kind + (response ? " response" : " request"), 1, Integer::sum);
        }
        return counts;
    }
}
