package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CongestionWindowTest {

    @Test
    void startsAtHalfTheBufferCount() {
        assertThat(new CongestionWindow(16).size()).isEqualTo(8);
        assertThat(new CongestionWindow(1).size()).as("never zero (Linux's bufcnt 1 bug)").isEqualTo(1);
    }

    @Test
    void growsOnAnswersUpToTheLimit() {
        CongestionWindow w = new CongestionWindow(16);
        for (int i = 0; i < 1000; i++) {
            w.onAnswer();
        }

        assertThat(w.size()).isEqualTo(16);
    }

    @Test
    void collapsesToOneOnATimeoutThenSlowStartsToHalfAndGrowsSlowerAbove() {
        CongestionWindow w = new CongestionWindow(32);
        for (int i = 0; i < 100; i++) {
            w.onAnswer();
        }
        assertThat(w.size()).isEqualTo(32);

        w.onTimeout();
        assertThat(w.size()).isEqualTo(1);

        for (int i = 0; i < 15; i++) {
            w.onAnswer(); // slow start: +1 per answer up to the threshold of 16
        }
        assertThat(w.size()).isEqualTo(16);
        for (int i = 0; i < 15; i++) {
            w.onAnswer(); // congestion avoidance: +1 per full window
        }
        assertThat(w.size()).isEqualTo(16);
        w.onAnswer();
        assertThat(w.size()).isEqualTo(17);
    }

    @Test
    void aSpuriousTimeoutIsUndone() {
        CongestionWindow w = new CongestionWindow(16);
        for (int i = 0; i < 100; i++) {
            w.onAnswer();
        }
        w.onTimeout();
        w.onTimeout(); // a second timeout while collapsed must not forget the window before

        w.undoTimeout();

        assertThat(w.size()).isEqualTo(16);
    }
}
