package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * Another target already answers for an address this one was asked to serve. Two targets with
 * one address corrupt data: the Linux driver takes them for two paths to one disk and spreads
 * writes over both.
 */
public final class DuplicateTargetException extends IOException {

    private static final long serialVersionUID = 1L;

    /** One address that another station answered for, on one interface. */
    public record Conflict(ExportAddress address, String interfaceName, MacAddress otherTarget) {
        @Override
        public String toString() {
            return address + " is already served on " + interfaceName + " by " + otherTarget;
        }
    }

    private final transient List<Conflict> conflicts;

    public DuplicateTargetException(List<Conflict> conflicts) {
        super(conflicts.stream().map(Conflict::toString).collect(Collectors.joining("; "))
                + ". Two targets with one address corrupt data (Linux merges them as paths of one disk):"
                + " stop the other target, or serve this export under another shelf.slot.");
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }
}
