package org.aoemigrate.aoe.initiator.it;

/** {@link InitiatorInteropTests} against our own target, run as the {@code aoe-target} command. */
class AoeTargetInteropIT extends InitiatorInteropTests {

    @Override
    AoeLab.TargetKind kind() {
        return AoeLab.TargetKind.AOE_TARGET;
    }
}
