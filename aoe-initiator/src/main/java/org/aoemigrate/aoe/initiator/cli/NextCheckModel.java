package org.aoemigrate.aoe.initiator.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import picocli.CommandLine;

/**
 * The check agent's picocli models of its next requests, built while the agent waits for them
 * instead of after they arrive: picocli reflects over the command's class for each model, which
 * took 5-10 ms of every check's answer in the lab. Each model serves one request only, as a
 * one-shot {@code check} gets a fresh one; any other command line gets its own at once.
 *
 * <p>A move sends a prepare and then its check, some 10 ms apart: both models are built ahead, and
 * none between the two, where building would hold the check up.
 */
final class NextCheckModel {

    private static final String CHECK = "check";
    /** A prepare and the check that follows it. */
    static final int AHEAD = 2;

    private final Deque<CommandLine> ready = new ArrayDeque<>();

    /**
     * Builds the models the next {@code check} command lines will be parsed into, once a request of
     * {@code kind} is answered: up to {@link #AHEAD} after a check (or at the start); after a
     * prepare only if none is left, since its check is on its way.
     */
    void prepareAfter(CheckAgentCommand.RequestKind kind) {
        int wanted = kind == CheckAgentCommand.RequestKind.PREPARE ? 1 : AHEAD;
        while (ready.size() < wanted) {
            ready.add(AoeInitiatorCommand.commandLine(CHECK));
        }
    }

    /** How many models are built and unused. */
    int ready() {
        return ready.size();
    }

    /** A model for {@code args} that no command line has used: a prepared one for a check, if there is one. */
    CommandLine take(String... args) {
        if (!ready.isEmpty() && args.length > 0 && CHECK.equals(args[0])) {
            return ready.poll();
        }
        return AoeInitiatorCommand.commandLine(args);
    }
}
