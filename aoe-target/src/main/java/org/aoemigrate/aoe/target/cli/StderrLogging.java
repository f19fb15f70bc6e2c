package org.aoemigrate.aoe.target.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends the target's log (java.util.logging, behind {@code System.Logger}) to the command's
 * stderr, one line per record: {@code aoe-target: warning: receive on vT failed, ...}. No
 * timestamps: journald and the shell add their own.
 */
final class StderrLogging extends Handler {

    private final PrintWriter err;

    private StderrLogging(PrintWriter err) {
        this.err = err;
    }

    /** Replaces the root logger's handlers; INFO and above are shown. */
    static void install(PrintWriter err) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        StderrLogging handler = new StderrLogging(err);
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String level = record.getLevel() == Level.SEVERE ? "error" : record.getLevel().getName().toLowerCase(Locale.ROOT);
        StringBuilder line = new StringBuilder("aoe-target: ");
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            line.append(level).append(": ");
        }
        line.append(record.getMessage());
        if (record.getThrown() != null) {
            line.append(": ").append(record.getThrown());
        }
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    @Override
    public void flush() {
        err.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
