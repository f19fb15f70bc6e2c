package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount table of the current mount namespace, from /proc/self/mountinfo (proc(5)). */
final class Mounts {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One line: where, what type ({@code fuse.aoe-etherd} for ours), from what source. */
    record Mount(Path mountPoint, String fsType, String source) {
    }

    private Mounts() {
    }

    static List<Mount> read() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO)) {
            mounts.add(parse(line));
        }
        return mounts;
    }

    static boolean isMountPoint(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        return read().stream().anyMatch(m -> m.mountPoint().equals(absolute));
    }

    /** "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": optional fields end at "-". */
    static Mount parse(String line) {
        String[] fields = line.split(" ");
        int separator = List.of(fields).indexOf("-");
        if (fields.length < 7 || separator < 6 || separator + 2 >= fields.length) {
            throw new IllegalArgumentException("unexpected mountinfo line: " + line);
        }
        return new Mount(Path.of(unescape(fields[4])), unescape(fields[separator + 1]), unescape(fields[separator + 2]));
    }

    /** mountinfo writes space, tab, newline and backslash as three octal digits after a backslash. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
