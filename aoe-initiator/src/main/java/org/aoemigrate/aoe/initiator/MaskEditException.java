package org.aoemigrate.aoe.initiator;

import org.aoemigrate.aoe.wire.MaskError;

/**
 * A Mac Mask List edit failed (r11 3.3): the target applied the directives before
 * {@link #failedIndex()} and stopped there.
 */
public final class MaskEditException extends AoeException {

    private static final long serialVersionUID = 1L;

    private final int merror;
    private final int failedIndex;

    public MaskEditException(AoeAddress device, int merror, int failedIndex) {
        super(device + " stopped the mask list edit at directive " + failedIndex + " with MError " + merror + " ("
                + MaskError.fromCode(merror).map(e -> switch (e) {
                    case OK -> "ok";
                    case UNSPECIFIED -> "unspecified";
                    case BAD_DIRECTIVE -> "bad directive";
                    case LIST_FULL -> "the mask list is full; delete entries first";
                }).orElse("not defined by AoE r11")
                + "); the directives before it were applied");
        this.merror = merror;
        this.failedIndex = failedIndex;
    }

    /** The MError code. */
    public int merror() {
        return merror;
    }

    /** The index of the directive that failed; earlier ones took effect. */
    public int failedIndex() {
        return failedIndex;
    }
}
