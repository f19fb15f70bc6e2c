package org.aoemigrate.aoe.initiator;

/**
 * How many requests a path may have in flight, grown and collapsed as the Linux aoe driver does
 * (aoecmd.c): it starts at half the limit, grows by one per answer below the slow-start
 * threshold and by one per full window above it, and on a retransmit timeout the threshold
 * becomes half the window and the window drops to one. The limit is the target's buffer count
 * (capped by the policy's {@code maxOutstanding}): more than that and the target drops frames.
 * Not thread-safe: the owning device's lock guards it.
 */
final class CongestionWindow {

    private final int limit;
    private int window;
    private int threshold;
    private int answersThisWindow;
    private int windowBeforeTimeout;
    private int thresholdBeforeTimeout;

    CongestionWindow(int limit) {
        this.limit = Math.max(1, limit);
        this.window = Math.max(1, this.limit / 2);
        this.threshold = this.limit;
    }

    int size() {
        return window;
    }

    int limit() {
        return limit;
    }

    void onAnswer() {
        if (window >= limit) {
            return;
        }
        if (window < threshold) {
            window++;
        } else if (++answersThisWindow >= window) {
            answersThisWindow = 0;
            window++;
        }
    }

    void onTimeout() {
        if (window > 1) {
            windowBeforeTimeout = window;
            thresholdBeforeTimeout = threshold;
        }
        threshold = Math.max(1, window / 2);
        window = 1;
        answersThisWindow = 0;
    }

    /**
     * The request whose timeout collapsed the window was answered after all (its first copy was
     * late, not lost): restore the window as it was, as TCP does after a spurious timeout
     * (RFC 4015). Without this a busy host, where a reply now and then waits a few
     * milliseconds for a CPU, would keep the window near one.
     */
    void undoTimeout() {
        if (windowBeforeTimeout > 0) {
            window = Math.max(window, windowBeforeTimeout);
            threshold = Math.max(threshold, thresholdBeforeTimeout);
            windowBeforeTimeout = 0;
        }
    }
}
