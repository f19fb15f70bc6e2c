package org.aoemigrate.aoe.initiator.check;

import java.util.Locale;

/**
 * How one part of the check came out, and why, in a sentence that names what was found.
 *
 * @param part    which part
 * @param outcome pass, fail, or skip (could not be judged, or does not apply)
 * @param detail  what was found; for a failure, what was wrong and what to do
 */
public record PartResult(CheckPart part, Outcome outcome, String detail) {

    public enum Outcome {
        PASS, FAIL, SKIP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static PartResult pass(CheckPart part, String detail) {
        return new PartResult(part, Outcome.PASS, detail);
    }

    static PartResult fail(CheckPart part, String detail) {
        return new PartResult(part, Outcome.FAIL, detail);
    }

    static PartResult skip(CheckPart part, String detail) {
        return new PartResult(part, Outcome.SKIP, detail);
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }
}
