package org.aoemigrate.orchestrator.api;

/**
 * {@code abort ID}: the request was passed to the running migration, which aborts at its next
 * poll; the migration's own client sees it end as {@code aborted}.
 */
public record AbortReport(String id, boolean requested) {
}
