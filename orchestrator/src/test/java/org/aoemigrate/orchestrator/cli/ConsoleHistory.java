package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A lab guest's console in the order it happened: each stay on a host is the part of that host's
 * serial log written meanwhile (a log grows on: a guest that comes back appends to it).
 */
final class ConsoleHistory {

    private record Stay(String host, long from, long to) {
    }

    private final String guest;
    private final List<Stay> stays = new ArrayList<>();
    private Stay current;

    /** The guest as booted on {@code host}: its stay there starts at the start of the log. */
    ConsoleHistory(String guest, String host) {
        this.guest = guest;
        current = new Stay(host, 0, -1);
    }

    /** Before a move: where the destination's log ends, so its new stay starts there. */
    long mark(String destination) throws IOException {
        Path log = LabDriver.serialLog(destination, guest);
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** After a move: the source's stay ends where its log ends now. */
    void moved(String destination, long mark) throws IOException {
        stays.add(new Stay(current.host(), current.from(), Files.size(LabDriver.serialLog(current.host(), guest))));
        current = new Stay(destination, mark, -1);
    }

    /** Where the guest runs now, as far as this history knows. */
    String host() {
        return current.host();
    }

    String text() throws IOException {
        StringBuilder all = new StringBuilder();
        List<Stay> every = new ArrayList<>(stays);
        every.add(new Stay(current.host(), current.from(), Files.size(LabDriver.serialLog(current.host(), guest))));
        for (Stay s : every) {
            byte[] log = Files.readAllBytes(LabDriver.serialLog(s.host(), guest));
            all.append(new String(log, (int) s.from(), (int) (s.to() - s.from()), StandardCharsets.UTF_8));
        }
        return all.toString().replace("\r", "");
    }

    /**
     * The guest booted once and counted 1, 2, 3, ... with no gap and no restart, across every stay;
     * returns the last tick.
     */
    long assertCountedOnFromOneBoot() throws IOException {
        String history = text();
        assertThat(history.split(LabDriver.BOOT_LINE, -1)).as("boot lines in %s's console history", guest).hasSize(2);
        List<Long> ticks = new ArrayList<>();
        Matcher m = LabDriver.TICK.matcher(history);
        while (m.find()) {
            ticks.add(Long.parseLong(m.group(1)));
        }
        assertThat(ticks).as("%s's counter", guest).isNotEmpty();
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i)).as("%s's tick number %d", guest, i + 1).isEqualTo(i + 1L);
        }
        return ticks.get(ticks.size() - 1);
    }
}
