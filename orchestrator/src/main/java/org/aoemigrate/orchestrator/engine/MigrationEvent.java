package org.aoemigrate.orchestrator.engine;

import java.time.Instant;
import java.util.Optional;
import org.aoemigrate.orchestrator.hypervisor.JobStats;

/**
 * One thing that happened in a migration, for the daemon to stream to the client.
 *
 * @param stats the job statistics, on PROGRESS events
 */
public record MigrationEvent(Instant at, String id, String guest, Kind kind, String message, Optional<JobStats> stats) {

    public enum Kind {
        STARTED, PREFLIGHT_PASSED, REFUSED, RESERVED, MIGRATING, PROGRESS, DOWNTIME_RAISED, POST_COPY,
        PAUSED_TO_FINISH, ABORTING, CUTOVER, VERIFIED, FINISHED, FAILED, ABORTED,
        /** Something the operator should know that does not stop the migration (an unreachable bystander host). */
        WARNING,
        /** The guest is active on two hosts. */
        SPLIT_BRAIN
    }
}
