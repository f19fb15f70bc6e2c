package org.aoemigrate.orchestrator.engine;

/** Why a migration was not started: the failed check and one sentence an operator can act on. */
public record Refusal(PreflightCheck check, String reason) {
}
