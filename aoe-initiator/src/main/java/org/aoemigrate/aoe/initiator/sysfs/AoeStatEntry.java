package org.aoemigrate.aoe.initiator.sysfs;

/**
 * One line of {@code aoe-stat}: a device as the Linux aoe driver shows it. A null field is an
 * attribute the driver does not provide (aoe-stat prints {@code (NA)}).
 *
 * @param device  {@code eS.L}
 * @param sectors capacity in 512-byte sectors ({@code size})
 * @param netif   the local interfaces, comma-separated ({@code netif})
 * @param payload data bytes per frame ({@code payload})
 * @param state   e.g. {@code up}, {@code down,closewait} ({@code state})
 */
public record AoeStatEntry(String device, Long sectors, String netif, Integer payload, String state) {
}
