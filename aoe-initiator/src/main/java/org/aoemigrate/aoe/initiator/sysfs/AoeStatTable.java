package org.aoemigrate.aoe.initiator.sysfs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Formats devices exactly as aoetools' {@code aoe-stat} does, so scripts written for it keep
 * working: {@code printf "%10s %15s %10s %-5s %-14s\n" dev size netif payload state}, the size
 * in decimal GB truncated to three decimals, lines sorted (byte order, as {@code sort} in the C
 * locale), then filtered by a regular expression ({@code grep RE}, unanchored). If no device has
 * a payload (drivers older than the attribute) the four-column form without it is used.
 */
public final class AoeStatTable {

    static final String NA = "(NA)";
    private static final String WITH_PAYLOAD = "%10s %15s %10s %-5s %-14s";
    private static final String WITHOUT_PAYLOAD = "%10s %15s %6s %-14s";

    private AoeStatTable() {
    }

    /** The table's lines (without newlines) for the entries that match {@code filter} (null: all). */
    public static List<String> lines(List<AoeStatEntry> entries, Pattern filter) {
        return rows(entries, filter).stream().map(Row::line).toList();
    }

    /** The entries {@link #lines} shows, in its order. */
    public static List<AoeStatEntry> select(List<AoeStatEntry> entries, Pattern filter) {
        return rows(entries, filter).stream().map(Row::entry).toList();
    }

    private record Row(String line, AoeStatEntry entry) {
    }

    private static List<Row> rows(List<AoeStatEntry> entries, Pattern filter) {
        // like aoe-stat, the column set depends on every device, before the filter
        boolean payloadColumn = entries.stream().anyMatch(e -> e.payload() != null);
        List<Row> rows = new ArrayList<>();
        for (AoeStatEntry e : entries) {
            String size = e.sectors() == null ? NA : gigabytes(e.sectors());
            String line = payloadColumn
                    ? String.format(WITH_PAYLOAD, e.device(), size, orNa(e.netif()), orNa(e.payload()), orNa(e.state()))
                    : String.format(WITHOUT_PAYLOAD, e.device(), size, orNa(e.netif()), orNa(e.state()));
            if (filter == null || filter.matcher(line).find()) {
                rows.add(new Row(line, e));
            }
        }
        rows.sort(Comparator.comparing(Row::line));
        return rows;
    }

    /**
     * aoe-stat's size: {@code (512000 * sectors) / 10^9} in integer arithmetic (whole MB), printed
     * with at least four digits and a point before the last three, e.g. {@code 0.067GB}.
     */
    public static String gigabytes(long sectors) {
        String megabytes = String.format("%04d", sectors * 512 / 1_000_000);
        return megabytes.substring(0, megabytes.length() - 3) + "." + megabytes.substring(megabytes.length() - 3) + "GB";
    }

    private static String orNa(Object value) {
        return value == null ? NA : value.toString();
    }
}
