package org.aoemigrate.orchestrator.inventory;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A daily time window, {@code 01:00-05:00}; one that ends before it starts runs over midnight
 * ({@code 22:00-06:00}). The start belongs to it, the end does not.
 */
public record TimeWindow(LocalTime start, LocalTime end) {

    public TimeWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end)) {
            throw new IllegalArgumentException("the window " + start + "-" + end + " is empty; leave 'window' out to allow any time");
        }
    }

    /** Parses {@code HH:MM-HH:MM}; IllegalArgumentException says what is wrong. */
    public static TimeWindow parse(String text) {
        String[] parts = text.strip().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not a window HH:MM-HH:MM (e.g. 01:00-05:00)");
        }
        try {
            return new TimeWindow(LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a window HH:MM-HH:MM (e.g. 01:00-05:00): "
                    + e.getParsedString() + " is not a time of day");
        }
    }

    public boolean contains(LocalTime t) {
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
