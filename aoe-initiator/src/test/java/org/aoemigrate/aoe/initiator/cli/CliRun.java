package org.aoemigrate.aoe.initiator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of {@code aoe-initiator}: its exit status and what it printed on each stream. */
record CliRun(int status, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AoeInitiatorCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(status, out.toString(), err.toString());
    }
}
