package org.aoemigrate.aoe.initiator;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MacMaskMessage;
import org.aoemigrate.aoe.wire.MaskCommand;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.MaskError;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.aoemigrate.aoe.wire.ReserveMessage;

/**
 * Builds the management transfers (r11 3.2-3.4) and reads their answers into results or typed
 * exceptions. The headers are placeholders: the engine addresses each frame to its path.
 */
final class ManagementRequests {

    private ManagementRequests() {
    }

    private static AoeHeader placeholder(AoeCommand command) {
        return AoeHeader.request(MacAddress.ZERO, MacAddress.ZERO, 0, 0, command, 0);
    }

    /** Query Config with this subcommand; for TEST and TEST_PREFIX, silence means "no match". */
    static MessageTransfer<Optional<ConfigInfo>> config(AoeAddress device, ConfigSubcommand subcommand, byte[] string,
            MacAddress target, DevicePath path) {
        String operation = "Query Config " + EnumWords.of(subcommand);
        ConfigMessage request = ConfigMessage.query(placeholder(AoeCommand.QUERY_CONFIG), subcommand, string);
        boolean test = subcommand == ConfigSubcommand.TEST || subcommand == ConfigSubcommand.TEST_PREFIX;
        return new MessageTransfer<>(device, operation, request, reply -> {
            ConfigMessage answer = as(ConfigMessage.class, reply, device, operation);
            if (answer.header().error() && answer.header().errorCode() == AoeError.CONFIG_STRING_PRESENT.code()) {
                throw new ConfigStringPresentException(device, operation, ConfigInfo.of(answer));
            }
            refuseOnError(answer, device, operation);
            return Optional.of(ConfigInfo.of(answer));
        }, target, path, test, Optional.empty());
    }

    /**
     * A Query Config read pinned to one path, to learn whether a path that stopped answering
     * works again. The engine brings the path back up on any answer; silence just ends the probe.
     */
    static MessageTransfer<Optional<ConfigInfo>> probe(AoeAddress device, DevicePath path) {
        ConfigMessage request = ConfigMessage.query(placeholder(AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null);
        return new MessageTransfer<>(device, "path probe on " + path.label(), request, reply -> Optional.empty(),
                path.target, path, true, Optional.empty());
    }

    /** Mac Mask List read (no directives) or edit; the answer is the list after the edit. */
    static MessageTransfer<List<MacAddress>> mask(AoeAddress device, List<MaskDirective> edits, MacAddress target) {
        boolean read = edits.isEmpty();
        String operation = read ? "Mac Mask List read" : "Mac Mask List edit";
        MacMaskMessage request = read
                ? MacMaskMessage.list(placeholder(AoeCommand.MAC_MASK), MaskCommand.READ, List.of())
                : MacMaskMessage.edit(placeholder(AoeCommand.MAC_MASK), edits);
        return new MessageTransfer<>(device, operation, request, reply -> {
            MacMaskMessage answer = as(MacMaskMessage.class, reply, device, operation);
            refuseOnError(answer, device, operation);
            if (answer.merror() != MaskError.OK.code()) {
                throw new MaskEditException(device, answer.merror(), answer.directiveCount());
            }
            return answer.macs();
        }, target, null, false, null);
    }

    /** Reserve/Release; the answer is the reserve list the target now holds. */
    static MessageTransfer<List<MacAddress>> reserve(AoeAddress device, ReserveCommand command, List<MacAddress> macs,
            MacAddress target) {
        String operation = "Reserve/Release " + EnumWords.of(command)
                + (command == ReserveCommand.READ ? "" : " " + macs);
        ReserveMessage request = ReserveMessage.of(placeholder(AoeCommand.RESERVE_RELEASE), command, macs);
        return new MessageTransfer<>(device, operation, request, reply -> {
            ReserveMessage answer = as(ReserveMessage.class, reply, device, operation);
            if (answer.header().error() && answer.header().errorCode() == AoeError.TARGET_RESERVED.code()) {
                if (command == ReserveCommand.SET && Set.copyOf(answer.macs()).equals(Set.copyOf(macs))) {
                    // already as asked: another port of a target that shares its state across
                    // ports applied this set a moment ago, and the list need not name us
                    return answer.macs();
                }
                throw new TargetReservedException(device, operation, answer.macs());
            }
            refuseOnError(answer, device, operation);
            return answer.macs();
        }, target, null, false, null);
    }

    private static void refuseOnError(AoeMessage answer, AoeAddress device, String operation) throws AoeErrorException {
        if (!answer.header().error()) {
            return;
        }
        int code = answer.header().errorCode();
        if (code == AoeError.TARGET_RESERVED.code()) {
            throw new TargetReservedException(device, operation, List.of());
        }
        throw new AoeErrorException(device, operation, code);
    }

    private static <M extends AoeMessage> M as(Class<M> type, AoeMessage reply, AoeAddress device, String operation)
            throws AoeException {
        if (!type.isInstance(reply)) {
            throw new AoeException(device + " answered " + operation + " with a " + reply.getClass().getSimpleName());
        }
        return type.cast(reply);
    }
}
