package org.aoemigrate.aoe.initiator.sysfs;

/**
 * A device of the Linux aoe driver, read from {@code /sys/block/etherd!eS.L}. A null field is an
 * attribute that is missing or unreadable.
 *
 * @param device    {@code eS.L}
 * @param sectors   {@code size}: capacity in 512-byte sectors
 * @param state     {@code state}: {@code up}, {@code down}, {@code down,closewait}, {@code up,kickme}
 * @param mac       {@code mac}: the first target port's MAC, as the driver prints it (12 hex digits)
 * @param netif     {@code netif}: local interfaces, comma-separated
 * @param payload   {@code payload}: data bytes per frame
 * @param devNumber {@code dev}: {@code MAJOR:MINOR} of the block device
 */
public record SysfsDevice(String device, Long sectors, String state, String mac, String netif, Integer payload,
        String devNumber) {

    /** True if the driver considers the device usable: its state starts with {@code up}. */
    public boolean isUp() {
        return state != null && (state.equals("up") || state.startsWith("up,"));
    }

    /** The minor number from {@code dev}, or null. */
    public String minor() {
        if (devNumber == null) {
            return null;
        }
        int colon = devNumber.indexOf(':');
        return colon < 0 ? null : devNumber.substring(colon + 1);
    }

    public AoeStatEntry toStatEntry() {
        return new AoeStatEntry(device, sectors, netif, payload, state);
    }
}
