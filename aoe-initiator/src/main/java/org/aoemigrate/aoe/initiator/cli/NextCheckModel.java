package org.aoemigrate.aoe.initiator.cli;

import picocli.CommandLine;

/**
 * The check agent's picocli model of its next check, built while the agent waits for the request
 * instead of after it arrives: picocli reflects over the command's class for each model, which
 * took 5-10 ms of every check's answer in the lab. Each model serves one request only, as a
 * one-shot {@code check} gets a fresh one; any other command line gets its own at once.
 */
final class NextCheckModel {

    private static final String CHECK = "check";

    private CommandLine next;

    /** Builds the model the next {@code check} command line will be parsed into. */
    void prepare() {
        next = AoeInitiatorCommand.commandLine(CHECK);
    }

    /** A model for {@code args} that no command line has used: the prepared one for a check, if there is one. */
    CommandLine take(String... args) {
        CommandLine prepared = next;
        next = null;
        if (prepared != null && args.length > 0 && CHECK.equals(args[0])) {
            return prepared;
        }
        return AoeInitiatorCommand.commandLine(args);
    }
}
