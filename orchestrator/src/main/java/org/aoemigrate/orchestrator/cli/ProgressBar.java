package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import org.aoemigrate.orchestrator.api.ProgressReport.JobProgress;

/**
 * One line on a terminal's stderr, redrawn in place ({@code \r}) from each progress event:
 * {@code [#######.............]  35%  24.1 MiB sent, 44.8 MiB left, 31.2 MiB/s, ETA 1 s, iteration 1}.
 * The rate is measured between events (what the link really carries), not libvirt's average.
 * Only drawn on a terminal and never with {@code --json}: the caller decides.
 */
final class ProgressBar {

    private static final int WIDTH = 20;

    private final PrintWriter err;
    private int drawn;
    private long lastProcessed = -1;
    private long lastElapsedMs;
    private double rate;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** Draws the bar for {@code job}. */
    void update(JobProgress job) {
        draw(next(job));
    }

    /** Takes in {@code job} and returns its line (with the rate measured so far), without drawing it. */
    String next(JobProgress job) {
        if (lastProcessed >= 0 && job.elapsedMs() > lastElapsedMs && job.dataProcessed() >= lastProcessed) {
            double now = (job.dataProcessed() - lastProcessed) * 1000.0 / (job.elapsedMs() - lastElapsedMs);
            rate = rate == 0 ? now : 0.5 * rate + 0.5 * now;
        } else if (lastProcessed < 0 && job.elapsedMs() > 0) {
            rate = job.dataProcessed() * 1000.0 / job.elapsedMs();
        }
        lastProcessed = job.dataProcessed();
        lastElapsedMs = job.elapsedMs();
        return line(job, rate);
    }

    static String line(JobProgress job, double rate) {
        long all = job.dataProcessed() + job.dataRemaining();
        int percent = all == 0 ? 0 : (int) Math.min(100, job.dataProcessed() * 100 / all);
        int filled = percent * WIDTH / 100;
        String eta = rate <= 0 ? "?" : Math.round(job.dataRemaining() / rate) + " s";
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent) + "  "
                + Units.bytes(job.dataProcessed()) + " sent, " + Units.bytes(job.dataRemaining()) + " left, "
                + Units.bytes((long) rate) + "/s, ETA " + eta + ", iteration " + job.iteration()
                + (job.postCopy() ? ", post-copy" : "");
    }

    private void draw(String line) {
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
    }

    /** Erases the bar, so that a message line can be printed; the next update draws it again. */
    void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }
}
