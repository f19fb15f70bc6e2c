package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version, as the firmware of the emulated disk: IDENTIFY words 23-26 and the Query Config field. */
public final class TargetVersion {

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static final String VERSION = load();

    /** At most 8 characters (IDENTIFY words 23-26): the version without its qualifier. */
    public static final String FIRMWARE_STRING = VERSION.replaceFirst("-.*", "");

    /**
     * The Query Config firmware field (16 bits): major, minor, patch in 4, 8 and 4 bits, so
     * 0.1.0 is 0x0010 and 1.2.3 is 0x1023.
     */
    public static final int FIRMWARE_CODE = code(FIRMWARE_STRING);

    private TargetVersion() {
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = TargetVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the aoe-target jar; rebuild it with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    static int code(String version) {
        String[] parts = version.split("\\.");
        int[] n = new int[3];
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            try {
                n[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                n[i] = 0;
            }
        }
        return (Math.min(n[0], 0xF) << 12) | (Math.min(n[1], 0xFF) << 4) | Math.min(n[2], 0xF);
    }
}
