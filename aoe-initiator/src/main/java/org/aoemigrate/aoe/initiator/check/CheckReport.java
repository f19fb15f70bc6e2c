package org.aoemigrate.aoe.initiator.check;

import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;

/** The outcome of a destination check: every part, and whether all held (no part failed). */
public record CheckReport(AoeAddress device, List<PartResult> parts) {

    public CheckReport {
        parts = List.copyOf(parts);
    }

    /** True if no part failed; skipped parts (not applicable here) do not count against it. */
    public boolean passed() {
        return parts.stream().noneMatch(PartResult::failed);
    }

    public List<PartResult> failures() {
        return parts.stream().filter(PartResult::failed).toList();
    }

    /**
     * The text form: one line per part ({@code PASS node    /dev/etherd/e1.0 is block device 7:0}),
     * then a verdict line naming the failed parts.
     */
    public List<String> textLines() {
        List<String> lines = new java.util.ArrayList<>();
        for (PartResult r : parts) {
            lines.add(String.format("%-4s %-8s %s", r.outcome().name(), r.part().label(), r.detail()));
        }
        List<PartResult> failed = failures();
        lines.add(failed.isEmpty()
                ? device + ": check passed"
                : device + ": check FAILED: " + String.join(", ", failed.stream().map(r -> r.part().label()).toList()));
        return lines;
    }
}
