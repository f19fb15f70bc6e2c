package org.aoemigrate.orchestrator.api;

/**
 * The result of {@code undrain}.
 *
 * @param maintenance whether the host is in maintenance now
 * @param changed     whether this request changed that
 * @param detail      one sentence on what was done
 */
public record MaintenanceReport(String host, boolean maintenance, boolean changed, String detail) {
}
