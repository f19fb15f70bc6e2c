package org.aoemigrate.aoe.initiator.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** {@link InitiatorInteropTests} against Debian's vblade, the target AoE clients are written for. */
class VbladeInteropIT extends InitiatorInteropTests {

    @BeforeAll
    static void needsVblade() {
        Assumptions.assumeTrue(AoeLab.hasVblade(), "needs vblade (Debian package vblade)");
    }

    @Override
    AoeLab.TargetKind kind() {
        return AoeLab.TargetKind.VBLADE;
    }
}
