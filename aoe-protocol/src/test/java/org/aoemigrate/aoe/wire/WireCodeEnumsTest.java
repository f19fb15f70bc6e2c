package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WireCodeEnumsTest {

    private record Codes<E extends Enum<E>>(E[] constants, ToIntFunction<E> code, IntFunction<Optional<E>> lookup) {
    }

    static Stream<Arguments> enums() {
        return Stream.of(
                Arguments.of("AoeCommand", new Codes<>(AoeCommand.values(), AoeCommand::code, AoeCommand::fromCode), new int[] {0, 1, 2, 3}),
                Arguments.of("AoeError", new Codes<>(AoeError.values(), AoeError::code, AoeError::fromCode), new int[] {1, 2, 3, 4, 5, 6}),
                Arguments.of("ConfigSubcommand", new Codes<>(ConfigSubcommand.values(), ConfigSubcommand::code, ConfigSubcommand::fromCode), new int[] {0, 1, 2, 3, 4}),
                Arguments.of("MaskCommand", new Codes<>(MaskCommand.values(), MaskCommand::code, MaskCommand::fromCode), new int[] {0, 1}),
                Arguments.of("MaskDirectiveCommand", new Codes<>(MaskDirectiveCommand.values(), MaskDirectiveCommand::code, MaskDirectiveCommand::fromCode), new int[] {0, 1, 2}),
                Arguments.of("MaskError", new Codes<>(MaskError.values(), MaskError::code, MaskError::fromCode), new int[] {0, 1, 2, 3}),
                Arguments.of("ReserveCommand", new Codes<>(ReserveCommand.values(), ReserveCommand::code, ReserveCommand::fromCode), new int[] {0, 1, 2}),
                Arguments.of("AtaOpcode", new Codes<>(AtaOpcode.values(), AtaOpcode::code, AtaOpcode::fromCode), new int[] {0x20, 0x24, 0x30, 0x34, 0xE5, 0xE7, 0xEA, 0xEC}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    <E extends Enum<E>> void definesExactlyTheR11CodesAndNothingElse(String name, Codes<E> codes, int[] defined) {
        assertThat(Arrays.stream(codes.constants()).mapToInt(codes.code()).toArray()).containsExactly(defined);
        for (int code = -1; code <= 256; code++) {
            Optional<E> found = codes.lookup().apply(code);
            int wire = code;
            if (Arrays.stream(defined).anyMatch(d -> d == wire)) {
                assertThat(found).hasValueSatisfying(e -> assertThat(codes.code().applyAsInt(e)).isEqualTo(wire));
            } else {
                assertThat(found).as("code %d", code).isEmpty();
            }
        }
    }

    @Test
    void vendorCommandsAreTheTopSixteenCodes() {
        assertThat(AoeCommand.isVendor(0xEF)).isFalse();
        assertThat(AoeCommand.isVendor(0xF0)).isTrue();
        assertThat(AoeCommand.isVendor(0xFF)).isTrue();
        assertThat(AoeCommand.isVendor(0x100)).isFalse();
        assertThat(AoeCommand.isVendor(4)).isFalse();
    }

    @Test
    void opcodeWidthAndDirection() {
        assertThat(Arrays.stream(AtaOpcode.values()).filter(AtaOpcode::lba48))
                .containsExactly(AtaOpcode.READ_EXT, AtaOpcode.WRITE_EXT, AtaOpcode.FLUSH_CACHE_EXT);
        assertThat(Arrays.stream(AtaOpcode.values()).filter(AtaOpcode::writes))
                .containsExactly(AtaOpcode.WRITE, AtaOpcode.WRITE_EXT);
        assertThat(Arrays.stream(AtaOpcode.values()).filter(AtaOpcode::reads))
                .containsExactly(AtaOpcode.READ, AtaOpcode.READ_EXT);
    }

    @Test
    void ataBitsMatchTheRegisters() {
        assertThat(AtaStatus.FAILURE_MASK).as("Linux checks status & 0xA9").isEqualTo(0xA9);
        assertThat(AtaStatus.OK).isEqualTo(0x40);
        assertThat(AtaStatus.FAILED).isEqualTo(0x41);
        assertThat(new int[] {AtaErrorBits.ABRT, AtaErrorBits.IDNF}).containsExactly(0x04, 0x10);
        assertThat(new int[] {AtaFlags.EXTENDED, AtaFlags.DEVICE, AtaFlags.ASYNC, AtaFlags.WRITE})
                .containsExactly(0x40, 0x10, 0x02, 0x01);
    }
}
