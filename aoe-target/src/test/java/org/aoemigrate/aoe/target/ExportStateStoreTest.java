package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportStateStoreTest {

    private static final ExportAddress E1_0 = new ExportAddress(1, 0);
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");

    @TempDir
    Path dir;

    @Test
    void savedStateComesBackInANewStore() throws IOException {
        ExportState state = new ExportState("5f3a9c2e", ConfigString.of(new byte[] {0, 'h', (byte) 0xff}),
                new MaskList(List.of(A, B)), new ReservationTable(List.of(B)));
        ExportStateStore.inDirectory(dir).save(E1_0, state);

        assertThat(ExportStateStore.inDirectory(dir).load(E1_0)).contains(state);
        assertThat(Files.readString(dir.resolve("e1.0.json"))).contains("\"configStringHex\" : \"0068ff\"")
                .contains("02:00:00:00:00:0a");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("e1.0.json"));
        }
    }

    @Test
    void aSaveReplacesTheOldState() throws IOException {
        ExportStateStore store = ExportStateStore.inDirectory(dir.resolve("new/sub"));
        ExportState first = new ExportState("00000001", ConfigString.EMPTY, MaskList.EMPTY, ReservationTable.RELEASED);
        store.save(E1_0, first);
        store.save(E1_0, first.withReservations(new ReservationTable(List.of(A))));
        assertThat(store.load(E1_0).orElseThrow().reservations().holders()).containsExactly(A);
    }

    @Test
    void noSavedStateIsEmpty() throws IOException {
        assertThat(ExportStateStore.inDirectory(dir).load(E1_0)).isEmpty();
        ExportStateStore memory = ExportStateStore.inMemory();
        memory.save(E1_0, new ExportState("00000001", ConfigString.EMPTY, MaskList.EMPTY, ReservationTable.RELEASED));
        assertThat(memory.load(E1_0)).isEmpty();
        assertThat(memory.isPersistent()).isFalse();
    }

    @Test
    void damagedFileIsAnErrorThatNamesTheFileAndTheWayOut() throws IOException {
        Files.writeString(dir.resolve("e1.0.json"), "{\"format\":1,\"export\":\"e1.0\",\"identity\":\"zz\"");
        assertThatThrownBy(() -> ExportStateStore.inDirectory(dir).load(E1_0))
                .hasMessageContaining(dir.resolve("e1.0.json") + " is damaged").hasMessageContaining("move it away");
        Files.writeString(dir.resolve("e1.0.json"),
                "{\"format\":1,\"export\":\"e2.0\",\"identity\":\"00000001\",\"configStringHex\":\"\",\"macMask\":[],\"reservation\":[]}");
        assertThatThrownBy(() -> ExportStateStore.inDirectory(dir).load(E1_0)).hasMessageContaining("belongs to e2.0");
    }

    @Test
    void serialIsShelfSlotAndIdentityWithinTwentyCharacters() {
        ExportState s = new ExportState("5f3a9c2e", ConfigString.EMPTY, MaskList.EMPTY, ReservationTable.RELEASED);
        assertThat(s.serial(E1_0)).isEqualTo("1.0:5f3a9c2e");
        assertThat(s.serial(new ExportAddress(65534, 254))).hasSizeLessThanOrEqualTo(20);
    }

    @Test
    void identityIsRandomWhenPersistentAndPathDerivedWhenNot() {
        ExportSpec spec = ExportSpec.builder(E1_0, Path.of("/srv/disk.img"), "eth1").build();
        assertThat(ExportState.initial(spec, false).identity()).isEqualTo(ExportState.initial(spec, false).identity());
        assertThat(ExportState.initial(spec, true).identity()).isNotEqualTo(ExportState.initial(spec, true).identity());
    }

    @Test
    void oneProcessAtATimeServesAnExportsState() throws IOException {
        ExportStateStore store = ExportStateStore.inDirectory(dir);
        try (java.io.Closeable claim = store.claim(E1_0)) {
            assertThatThrownBy(() -> store.claim(E1_0)).hasMessageContaining("e1.0 is already being served by this process");
            store.claim(new ExportAddress(1, 1)).close();
        }
        store.claim(E1_0).close();
        ExportStateStore.inMemory().claim(E1_0).close();
    }
}
