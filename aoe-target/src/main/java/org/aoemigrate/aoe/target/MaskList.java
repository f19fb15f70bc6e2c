package org.aoemigrate.aoe.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.MaskDirectiveCommand;
import org.aoemigrate.aoe.wire.MaskError;

/**
 * An export's MAC mask list (r11 3.3): when it is non-empty, only the listed source MACs get any
 * answer at all. Immutable; edits return a new list.
 *
 * <p>Unlike vblade 25 (whose add overwrites the wrong entry and whose delete aborts the process
 * with 1-5 entries), adds append in order, a duplicate add is a no-op, a delete of an absent MAC
 * is a no-op, and the capacity is what one reply frame can list (see {@link #capacity}).
 */
public record MaskList(List<MacAddress> macs) {

    public static final MaskList EMPTY = new MaskList(List.of());

    /** The directive count is one byte, so no reply lists more than 255 MACs. */
    static final int MAX_ENTRIES = 255;

    public MaskList {
        macs = List.copyOf(macs);
    }

    /** A list from an operator's initial set; duplicates are dropped, order kept. */
    public static MaskList of(List<MacAddress> macs) {
        List<MacAddress> unique = new ArrayList<>();
        for (MacAddress m : macs) {
            if (!unique.contains(m)) {
                unique.add(m);
            }
        }
        if (unique.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a mask list holds at most " + MAX_ENTRIES + " MACs, not " + unique.size());
        }
        return new MaskList(unique);
    }

    /** True if a frame from {@code source} may be answered. */
    public boolean admits(MacAddress source) {
        return macs.isEmpty() || macs.contains(source);
    }

    public int size() {
        return macs.size();
    }

    /**
     * The most entries a reply can list on a link with this MTU: the reply is 28 + 8n bytes with
     * the Ethernet header, and the directive count is one byte. 185 at MTU 1500, 255 at 9000.
     */
    public static int capacity(int mtu) {
        int fit = (mtu + 14 - AoeConstants.MASK_HEADER_LENGTH) / AoeConstants.MASK_DIRECTIVE_LENGTH;
        return Math.max(0, Math.min(MAX_ENTRIES, fit));
    }

    /**
     * The result of an edit. On an error, {@code list} holds the directives applied before the
     * failing one (r11 3.3: they stay applied) and {@code failedIndex} the failing one's index.
     */
    public record Edit(MaskList list, MaskError error, int failedIndex) {
        public boolean ok() {
            return error == MaskError.OK;
        }
    }

    /** Applies the directives in order, stopping at the first bad one (r11 3.3). */
    public Edit edit(List<MaskDirective> directives, int capacity) {
        List<MacAddress> next = new ArrayList<>(macs);
        for (int i = 0; i < directives.size(); i++) {
            MaskDirective d = directives.get(i);
            Optional<MaskDirectiveCommand> command = MaskDirectiveCommand.fromCode(d.command());
            if (command.isEmpty()) {
                return new Edit(new MaskList(next), MaskError.BAD_DIRECTIVE, i);
            }
            switch (command.get()) {
                case NOP -> { }
                case ADD -> {
                    if (!next.contains(d.mac())) {
                        if (next.size() >= Math.min(capacity, MAX_ENTRIES)) {
                            return new Edit(new MaskList(next), MaskError.LIST_FULL, i);
                        }
                        next.add(d.mac());
                    }
                }
                case DELETE -> next.remove(d.mac());
            }
        }
        return new Edit(new MaskList(next), MaskError.OK, directives.size());
    }
}
