package org.aoemigrate.orchestrator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {

    @TempDir
    Path dir;

    private Path inventory(String text) throws IOException {
        return Files.writeString(dir.resolve("inv.yaml"), text);
    }

    @Test
    void readsTheExamplesStateDirectory() throws Exception {
        try (InputStream in = StateDirectoryTest.class.getResourceAsStream("lab.yaml")) {
            Path file = Files.write(dir.resolve("lab.yaml"), in.readAllBytes());
            assertThat(StateDirectory.of(file)).isEqualTo(Path.of("/var/lib/aoemigrate"));
            assertThat(StateDirectory.of(file)).isEqualTo(InventoryReader.read(file).storage().stateDir());
        }
    }

    @Test
    void needsNothingElseOfTheInventory() throws Exception {
        // the daemon checks the rest when it starts; a client only looks for its socket
        assertThat(StateDirectory.of(inventory("hosts: {}\nstorage:\n  stateDir: /srv/aoe\n"))).isEqualTo(Path.of("/srv/aoe"));
    }

    @Test
    void findsStateDirAmongNestedSectionsAndTakesTheLastOfAKeyGivenTwice() throws Exception {
        String nested = "hosts:\n  hostA: {uri: 'qemu:///system', aoe: {interfaces: [eth1, eth2]}}\n"
                + "storage:\n  interfaces: [{name: eth1}, {name: eth2}]\n  stateDir: /srv/aoe\npolicy: {migration: {bandwidthMiBps: 4}}\n";
        assertThat(StateDirectory.of(inventory(nested))).isEqualTo(Path.of("/srv/aoe"));
        assertThat(StateDirectory.of(inventory("storage: {stateDir: /a}\nstorage: {stateDir: /b}\n"))).isEqualTo(Path.of("/b"));
    }

    @Test
    void storageThatIsNotAMappingOrAnEmptyFileHasNoStorageSection() throws Exception {
        assertThatThrownBy(() -> StateDirectory.of(inventory("storage: /srv/aoe\n"))).hasMessageContaining("no 'storage:' section");
        assertThatThrownBy(() -> StateDirectory.of(inventory(""))).hasMessageContaining("no 'storage:' section");
        assertThatThrownBy(() -> StateDirectory.of(inventory("- storage\n"))).hasMessageContaining("no 'storage:' section");
    }

    @Test
    void aMissingStateDirectoryNamesTheFileAndTheLineOfStorage() throws Exception {
        Path file = inventory("hosts: {}\n\nstorage:\n  interfaces: []\n");
        assertThatThrownBy(() -> StateDirectory.of(file)).isInstanceOf(InventoryException.class)
                .hasMessage("inv.yaml line 3: storage has no 'stateDir'; give where export state is kept, e.g. /var/lib/aoemigrate");
        assertThatThrownBy(() -> StateDirectory.of(inventory("hosts: {}\n"))).hasMessageContaining("inv.yaml")
                .hasMessageContaining("no 'storage:' section");
        assertThatThrownBy(() -> StateDirectory.of(inventory("storage:\n  stateDir: [a, b]\n")))
                .hasMessageContaining("storage has no 'stateDir'");
    }

    @Test
    void brokenYamlAndAMissingFileAreNamed() throws Exception {
        assertThatThrownBy(() -> StateDirectory.of(inventory("hosts: [a\nstorage: {}\n"))).hasMessageStartingWith("inv.yaml line")
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> StateDirectory.of(dir.resolve("nope.yaml"))).hasMessageContaining("nope.yaml: no such file");
    }
}
