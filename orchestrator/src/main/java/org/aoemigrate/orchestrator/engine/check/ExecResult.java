package org.aoemigrate.orchestrator.engine.check;

/** What a command printed and how it ended. */
public record ExecResult(int exitCode, String stdout, String stderr) {
}
