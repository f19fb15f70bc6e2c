package org.aoemigrate.aoe.initiator.check;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * How aoemigrate names an export on the wire: its AoE config string (r11 3.2) is exactly
 * {@code id=ID}. The orchestrator sets it when it creates the export ({@code aoe-initiator config
 * eS.L --set id=ID}, or {@code config: "id=ID"} in the target's YAML), and the destination check
 * compares it, so a disk that merely has the same {@code eS.L} (the classic AoE accident) is
 * refused. An ID is 1 to 1021 printable ASCII characters without spaces; anything else in the
 * config string means "no id".
 */
public final class ExportId {

    public static final String PREFIX = "id=";

    private ExportId() {
    }

    /** The config string that carries {@code id}. */
    public static String configString(String id) {
        validate(id);
        return PREFIX + id;
    }

    /** The id a config string carries, if it has the form {@code id=ID}. */
    public static Optional<String> of(String configString) {
        if (!configString.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String id = configString.substring(PREFIX.length());
        return isValid(id) ? Optional.of(id) : Optional.empty();
    }

    /** Throws with advice unless {@code id} can be an export id. */
    public static void validate(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("export id '" + id + "' is not 1 to "
                    + (AoeConstants.MAX_CONFIG_STRING - PREFIX.length())
                    + " printable ASCII characters without spaces; use e.g. vm1-disk0");
        }
    }

    private static boolean isValid(String id) {
        return !id.isEmpty() && id.getBytes(StandardCharsets.UTF_8).length <= AoeConstants.MAX_CONFIG_STRING - PREFIX.length()
                && id.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }
}
