package org.aoemigrate.aoe.initiator;

import java.util.Locale;

/** Wire-code constants in messages: {@code TARGET_RESERVED} reads "target reserved". */
final class EnumWords {

    private EnumWords() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
