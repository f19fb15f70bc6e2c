package org.aoemigrate.aoe.target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an export remembers across restarts: the state initiators change over AoE (config string,
 * MAC mask list, reserve list) and the identity behind its IDENTIFY serial. Immutable; a change
 * makes a new state, which {@link ExportStateStore} saves before the reply that announces it.
 *
 * @param identity eight hex digits that make the serial unique: random when the export first
 *                 starts with a state directory, so a new export on a reused address gets a new
 *                 serial; without one, derived from the file's path and window so that it is at
 *                 least stable across restarts
 */
public record ExportState(String identity, ConfigString config, MaskList masks, ReservationTable reservations) {

    private static final Pattern IDENTITY = Pattern.compile("[0-9a-f]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ExportState {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(reservations, "reservations");
        if (!IDENTITY.matcher(identity).matches()) {
            throw new IllegalArgumentException("export identity '" + identity + "' is not eight lower-case hex digits");
        }
    }

    /** The state of an export that starts for the first time, seeded from its spec. */
    public static ExportState initial(ExportSpec spec, boolean persistent) {
        String identity = persistent ? randomIdentity() : derivedIdentity(spec);
        ConfigString config = spec.initialConfig().map(ConfigString::ofText).orElse(ConfigString.EMPTY);
        return new ExportState(identity, config, MaskList.of(spec.initialMasks()), ReservationTable.RELEASED);
    }

    private static String randomIdentity() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String derivedIdentity(ExportSpec spec) {
        String key = spec.path().toAbsolutePath().normalize() + "|" + spec.offsetSectors() + "|" + spec.lengthSectors();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The IDENTIFY serial (words 10-19, at most 20 ASCII characters): {@code S.L:identity}, e.g.
     * {@code 1.0:5f3a9c2e}; at most 18 characters (shelf 65534, slot 254).
     */
    public String serial(ExportAddress address) {
        return address.shelf() + "." + address.slot() + ":" + identity;
    }

    public ExportState withConfig(ConfigString c) {
        return new ExportState(identity, c, masks, reservations);
    }

    public ExportState withMasks(MaskList m) {
        return new ExportState(identity, config, m, reservations);
    }

    public ExportState withReservations(ReservationTable r) {
        return new ExportState(identity, config, masks, r);
    }
}
