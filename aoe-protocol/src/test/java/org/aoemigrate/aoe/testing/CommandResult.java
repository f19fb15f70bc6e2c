package org.aoemigrate.aoe.testing;

import java.util.List;

/** What a finished command left: its exit code and everything it printed. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result if the exit code is 0, else throws with the command and its output. */
    public CommandResult orThrow() {
        if (exitCode != 0) {
            throw new IllegalStateException(this.toString());
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " exited " + exitCode
                + (stdout.isBlank() ? "" : "\n--- stdout\n" + stdout.strip())
                + (stderr.isBlank() ? "" : "\n--- stderr\n" + stderr.strip());
    }
}
