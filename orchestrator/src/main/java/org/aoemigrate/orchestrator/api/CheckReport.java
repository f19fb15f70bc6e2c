package org.aoemigrate.orchestrator.api;

/**
 * The verdict of {@code check VM HOST}: would a migration start? Nothing was changed to find out.
 *
 * @param failedCheck the preflight check that said no (lower case, e.g. {@code memory}); null when passed
 * @param reason      why, in one sentence; empty when passed
 */
public record CheckReport(String guest, String destination, boolean passed, String failedCheck, String reason) {
}
