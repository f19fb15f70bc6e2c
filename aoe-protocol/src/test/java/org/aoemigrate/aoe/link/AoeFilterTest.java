package org.aoemigrate.aoe.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aoemigrate.aoe.testing.Pcapng;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AoeFilterTest {

    /** An AoE frame of 60 bytes with the given EtherType, flag nibble, shelf and slot. */
    static ByteBuffer frame(int etherType, int flags, int shelf, int slot) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.putLong(0, -1L);
        b.putShort(12, (short) etherType);
        b.put(14, (byte) (0x10 | flags));
        b.putShort(16, (short) shelf);
        b.put(18, (byte) slot);
        return b;
    }

    static ByteBuffer request(int shelf, int slot) {
        return frame(0x88A2, 0, shelf, slot);
    }

    static ByteBuffer response(int shelf, int slot) {
        return frame(0x88A2, 0x08, shelf, slot);
    }

    static boolean accepts(AoeFilter filter, ByteBuffer frame) {
        return ClassicBpf.run(filter.program(), frame) > 0;
    }

    @Nested
    class Direction {

        @Test
        void requestFilterAcceptsRequestsAnyAddressAndDropsResponses() {
            AoeFilter f = AoeFilter.requests();
            assertThat(accepts(f, request(1, 0))).isTrue();
            assertThat(accepts(f, request(0xFFFF, 0xFF))).isTrue();
            assertThat(accepts(f, frame(0x88A2, 0x04, 7, 3))).as("error flag alone is still a request").isTrue();
            assertThat(accepts(f, response(1, 0))).isFalse();
            assertThat(accepts(f, frame(0x88A2, 0x0C, 1, 0))).isFalse();
        }

        @Test
        void responseFilterAcceptsResponsesAndDropsRequests() {
            AoeFilter f = AoeFilter.responses();
            assertThat(accepts(f, response(1, 0))).isTrue();
            assertThat(accepts(f, frame(0x88A2, 0x0C, 1, 0))).as("error responses too").isTrue();
            assertThat(accepts(f, request(1, 0))).isFalse();
        }

        @Test
        void foreignEtherTypesAreDropped() {
            assertThat(accepts(AoeFilter.requests(), frame(0x0800, 0, 1, 0))).isFalse();
            assertThat(accepts(AoeFilter.responses(), frame(0x88A3, 0x08, 1, 0))).isFalse();
        }

        @Test
        void acceptedFramesAreKeptWhole() {
            assertThat(ClassicBpf.run(AoeFilter.requests().program(), request(1, 0))).isGreaterThan(65549);
        }

        @Test
        void framesTooShortForTheTestedFieldsAreDropped() {
            assertThat(accepts(AoeFilter.requests(), request(1, 0).limit(14))).isFalse();
            assertThat(accepts(AoeFilter.requests().addressedTo(1, 0), request(1, 0).limit(18))).isFalse();
            assertThat(accepts(AoeFilter.requests().addressedTo(1, 0), request(1, 0).limit(19))).isTrue();
        }
    }

    @Nested
    class Addresses {

        private final AoeFilter e1dot2 = AoeFilter.requests().addressedTo(1, 2);

        @ParameterizedTest(name = "shelf {0} slot {1} accepted: {2}")
        @CsvSource({
            "1, 2, true",
            "65535, 2, true",
            "1, 255, true",
            "65535, 255, true",
            "1, 3, false",
            "2, 2, false",
            "65535, 3, false",
            "2, 255, false",
            "0, 0, false",
        })
        void acceptsItsAddressAndTheR11BroadcastForms(int shelf, int slot, boolean accepted) {
            assertThat(accepts(e1dot2, request(shelf, slot))).isEqualTo(accepted);
        }

        @Test
        void severalAddressesDoNotMixShelvesAndSlots() {
            AoeFilter f = AoeFilter.requests().addressedTo(1, 2).addressedTo(1, 5).addressedTo(7, 0);
            assertThat(accepts(f, request(1, 5))).isTrue();
            assertThat(accepts(f, request(7, 0))).isTrue();
            assertThat(accepts(f, request(7, 255))).isTrue();
            assertThat(accepts(f, request(65535, 0))).isTrue();
            assertThat(accepts(f, request(65535, 5))).isTrue();
            assertThat(accepts(f, request(7, 2))).as("slot of shelf 1 on shelf 7").isFalse();
            assertThat(accepts(f, request(1, 0))).as("slot of shelf 7 on shelf 1").isFalse();
            assertThat(accepts(f, request(65535, 9))).isFalse();
            assertThat(accepts(f, response(1, 2))).isFalse();
        }

        @Test
        void hundredsOfAddressesNeedLongJumpsAndStillMatchExactly() {
            Set<AoeFilter.Address> wanted = new HashSet<>();
            for (int i = 0; i < 600; i++) {
                wanted.add(new AoeFilter.Address(i % 37, (i * 7) % 255));
            }
            AoeFilter f = AoeFilter.responses().addressedTo(wanted);
            List<BpfInstruction> program = f.program();
            assertThat(program).hasSizeGreaterThan(255).hasSizeLessThanOrEqualTo(AoeFilter.MAX_INSTRUCTIONS);

            for (int shelf = 0; shelf < 40; shelf++) {
                for (int slot = 0; slot < 255; slot++) {
                    boolean expected = wanted.contains(new AoeFilter.Address(shelf, slot));
                    assertThat(ClassicBpf.run(program, response(shelf, slot)) > 0)
                            .as("e%d.%d", shelf, slot).isEqualTo(expected);
                }
            }
        }

        @Test
        void tooManyAddressesForTheKernelAreRefusedWithAWayOut() {
            Set<AoeFilter.Address> all = new HashSet<>();
            for (int shelf = 0; shelf < 20; shelf++) {
                for (int slot = 0; slot < 255; slot++) {
                    all.add(new AoeFilter.Address(shelf, slot));
                }
            }
            AoeFilter f = AoeFilter.requests().addressedTo(all);
            assertThatThrownBy(f::program)
                    .hasMessageContaining("over the kernel's limit of 4096")
                    .hasMessageContaining("filter on direction only");
        }

        @Test
        void broadcastAndOutOfRangeAddressesCannotBeFilteredOn() {
            assertThatThrownBy(() -> new AoeFilter.Address(0xFFFF, 1)).hasMessageContaining("shelf 65535");
            assertThatThrownBy(() -> new AoeFilter.Address(1, 255)).hasMessageContaining("slot 255");
            assertThatThrownBy(() -> new AoeFilter.Address(-1, 0)).hasMessageContaining("0..65534");
        }
    }

    @Test
    void vbladeCaptureSplitsIntoRequestsAndResponses() {
        List<byte[]> frames = Pcapng.framesOfResource("/vblade-capture/step1.pcap");
        int requests = 0;
        int responses = 0;
        for (byte[] raw : frames) {
            ByteBuffer f = ByteBuffer.wrap(raw);
            boolean isAoe = f.getShort(12) == (short) 0x88A2;
            boolean isResponse = isAoe && (f.get(14) & 0x08) != 0;
            assertThat(accepts(AoeFilter.requests(), f)).isEqualTo(isAoe && !isResponse);
            assertThat(accepts(AoeFilter.responses(), f)).isEqualTo(isResponse);
            requests += isAoe && !isResponse ? 1 : 0;
            responses += isResponse ? 1 : 0;
        }
        assertThat(requests).isPositive();
        assertThat(responses).isPositive();
    }

    @Test
    void programForAllRequestsIsTheShortDirectionTest() {
        assertThat(AoeFilter.requests().program()).extracting(BpfInstruction::toString).containsExactly(
                "{ 0x28, 0, 0, 0x0000000c }",
                "{ 0x15, 1, 0, 0x000088a2 }",
                "{ 0x06, 0, 0, 0x00000000 }",
                "{ 0x30, 0, 0, 0x0000000e }",
                "{ 0x45, 0, 1, 0x00000008 }",
                "{ 0x06, 0, 0, 0x00000000 }",
                "{ 0x06, 0, 0, 0x00040000 }");
    }

    @Test
    void filtersAreValuesAndSayWhatTheyAccept() {
        assertThat(AoeFilter.requests().addressedTo(1, 2)).isEqualTo(AoeFilter.requests().addressedTo(1, 2));
        assertThat(AoeFilter.requests()).isNotEqualTo(AoeFilter.responses());
        assertThat(AoeFilter.responses().addressedTo(1, 2)).hasToString("AoE responses to [e1.2] or broadcast");
    }
}
