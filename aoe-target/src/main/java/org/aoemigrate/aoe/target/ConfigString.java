package org.aoemigrate.aoe.target;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.ConfigSubcommand;

/**
 * An export's config string (r11 3.2): up to 1024 opaque bytes that initiators use to claim a
 * target (set if empty) and to find one (exact or prefix test). Immutable.
 */
public final class ConfigString {

    public static final ConfigString EMPTY = new ConfigString(new byte[0]);

    private final byte[] bytes;

    private ConfigString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ConfigString of(byte[] bytes) {
        if (bytes.length > AoeConstants.MAX_CONFIG_STRING) {
            throw new IllegalArgumentException("a config string holds at most " + AoeConstants.MAX_CONFIG_STRING
                    + " bytes (r11 3.2), not " + bytes.length);
        }
        return bytes.length == 0 ? EMPTY : new ConfigString(bytes.clone());
    }

    /** The UTF-8 bytes of an operator's string. */
    public static ConfigString ofText(String text) {
        return of(encode(text));
    }

    static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static ConfigString ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** True if {@code prefix} is a prefix of this string; the empty string is a prefix of all. */
    public boolean startsWith(ConfigString prefix) {
        return prefix.bytes.length <= bytes.length
                && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    /**
     * Applies a Query Config subcommand that carried {@code request}, per the r11 3.2 table
     * (vblade agrees): read always answers; a failed test stays silent; set stores only over an
     * empty or equal string, else error 4 with the stored string; force set always stores.
     */
    public Decision apply(ConfigSubcommand command, ConfigString request) {
        return switch (command) {
            case READ -> Decision.answer(this);
            case TEST -> equals(request) ? Decision.answer(this) : Decision.SILENCE;
            case TEST_PREFIX -> startsWith(request) ? Decision.answer(this) : Decision.SILENCE;
            case SET -> isEmpty() || equals(request) ? Decision.answer(request) : new Decision(Outcome.STRING_PRESENT, this);
            case FORCE_SET -> Decision.answer(request);
        };
    }

    /** What a Query Config request leads to. */
    public enum Outcome {
        /** Reply with {@link Decision#string()}, which is now the stored string. */
        ANSWER,
        /** r11 3.2: a test that fails gets no reply at all. */
        SILENCE,
        /** Reply with error 4 and the stored string (unchanged). */
        STRING_PRESENT
    }

    /** The outcome, and the string to store and reply with (null for silence). */
    public record Decision(Outcome outcome, ConfigString string) {
        static final Decision SILENCE = new Decision(Outcome.SILENCE, null);

        static Decision answer(ConfigString s) {
            return new Decision(Outcome.ANSWER, s);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigString c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Printable ASCII as text, anything else as hex. */
    @Override
    public String toString() {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + toHex();
            }
        }
        return '"' + new String(bytes, StandardCharsets.US_ASCII) + '"';
    }
}
