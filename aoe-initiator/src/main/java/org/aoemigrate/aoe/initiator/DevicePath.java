package org.aoemigrate.aoe.initiator;

import java.time.Duration;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One way to reach a device: a local interface and a target MAC seen on it. Each path keeps its
 * own round-trip estimate, congestion window and health, as the Linux driver does per target
 * port. All fields are guarded by the device's lock.
 */
final class DevicePath {

    final int index;
    final LinkPort link;
    final MacAddress target;
    final int sectorsPerFrame;
    final int bufferCount;
    final RttEstimator rtt;
    final CongestionWindow window;

    int outstanding;
    boolean down;
    int lossesInRow;
    /** When this path last answered, or became busy after being idle: the start of any silence. */
    long silentSinceNanos;
    long nextProbeNanos;

    long sent;
    long answered;
    long timeouts;
    long sendErrors;
    /** Why the interface last refused a send, or null: shown when a request times out. */
    String lastSendError;

    DevicePath(int index, LinkPort link, MacAddress target, int sectorsPerFrame, int bufferCount, int windowLimit,
            RetransmitPolicy policy, long nowNanos) {
        this.index = index;
        this.link = link;
        this.target = target;
        this.sectorsPerFrame = sectorsPerFrame;
        this.bufferCount = bufferCount;
        this.rtt = new RttEstimator(policy);
        this.window = new CongestionWindow(windowLimit);
        this.silentSinceNanos = nowNanos;
    }

    boolean hasRoom() {
        return outstanding < window.size();
    }

    void onAnswer(long nowNanos) {
        answered++;
        lossesInRow = 0;
        silentSinceNanos = nowNanos;
        down = false;
    }

    PathStats stats() {
        return new PathStats(link.name(), target, !down, window.size(), outstanding,
                Duration.ofNanos(rtt.smoothedRttNanos()), Duration.ofNanos(rtt.timeoutNanos()),
                sent, answered, timeouts, sendErrors);
    }

    /** {@code link->target}, as in messages. */
    String label() {
        return link.name() + "->" + target;
    }

    /** The label, with the interface's last refusal if it refused sends (e.g. a frame over its MTU). */
    String labelWithTrouble() {
        return lastSendError == null ? label()
                : label() + " (the interface refused " + sendErrors + " sends, last: " + lastSendError + ")";
    }

    @Override
    public String toString() {
        return label();
    }
}
