package org.aoemigrate.orchestrator.api;

/**
 * One event of a running migration, streamed to the client that asked for it.
 *
 * @param at      ISO-8601 time
 * @param kind    lower case: {@code started}, {@code preflight_passed}, {@code reserved},
 *                {@code migrating}, {@code progress}, {@code downtime_raised}, {@code cutover},
 *                {@code verified}, {@code finished}, {@code refused}, {@code failed},
 *                {@code aborted}, {@code warning}, ...
 * @param job     on {@code progress} events: the copy's figures; otherwise null
 */
public record ProgressReport(String at, String id, String guest, String kind, String message, JobProgress job) {

    public static final String PROGRESS = "progress";

    /**
     * The migration job as libvirt reports it on the source.
     *
     * @param elapsedMs     since the job started
     * @param dataTotal     bytes to send in all (grows as the guest dirties memory)
     * @param dataProcessed bytes sent
     * @param dataRemaining bytes still to send
     * @param dirtyRate     bytes the guest dirties per second
     * @param iteration     pre-copy pass
     * @param postCopy      the job switched to post-copy
     */
    public record JobProgress(long elapsedMs, long dataTotal, long dataProcessed, long dataRemaining, long dirtyRate,
            long iteration, boolean postCopy) {
    }
}
