package org.aoemigrate.orchestrator.api;

/**
 * How a migration ended: the {@code result} of {@code migrate}, and what {@code aoemigrate
 * --json VM HOST} prints.
 *
 * @param id              the migration's id in the journal ({@code m-4f1c2a9e})
 * @param source          where the guest ran; null if the refusal came before it was located
 * @param outcome         {@code succeeded}, {@code refused}, {@code aborted} or {@code failed}
 * @param reason          empty on success; otherwise one sentence: what went wrong, where the
 *                        guest runs now, what to do
 * @param failedCheck     for {@code refused}: the preflight check that said no (lower case,
 *                        e.g. {@code initiator}); otherwise null
 * @param cutover         {@code fast} or {@code fenced}
 * @param totalMs         from the request to the end
 * @param downtimeMs      the guest's pause at switchover as libvirt measured it (0 if unknown)
 * @param bytes           memory bytes sent
 * @param iterations      pre-copy passes over memory
 * @param maxDowntimeMs   the downtime allowed at the end (after any steps up)
 */
public record MigrationReport(String id, String guest, String source, String destination, String outcome, String reason,
        String failedCheck, String cutover, long totalMs, long downtimeMs, long bytes, long iterations,
        long maxDowntimeMs) {

    public static final String SUCCEEDED = "succeeded";
    public static final String REFUSED = "refused";
    public static final String ABORTED = "aborted";
    public static final String FAILED = "failed";
}
