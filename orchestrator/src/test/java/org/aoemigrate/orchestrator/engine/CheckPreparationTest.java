package org.aoemigrate.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.aoemigrate.orchestrator.engine.check.CheckOutcome;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckPreparationTest {

    private Inventory inventory;
    private final List<String> prepared = new ArrayList<>();
    private RuntimeException failure;
    private final CheckPreparation preparation = new CheckPreparation(new DestinationCheck() {
        @Override
        public CheckOutcome check(Host destination, ExportDisk export) {
            throw new AssertionError("a preparation never checks");
        }

        @Override
        public void prepare(Host destination, List<ExportDisk> exports) {
            prepared.add(destination.name() + " " + exports.stream().map(ExportDisk::name).toList());
            if (failure != null) {
                throw failure;
            }
        }
    });

    @BeforeEach
    void setUp() throws Exception {
        inventory = InventoryReader.parse("engine.yaml", EngineFixture.INVENTORY);
    }

    private ExportDisk export(String name) {
        return inventory.exports().get(name);
    }

    private Host host(String name) {
        return inventory.host(name).orElseThrow();
    }

    @Test
    void aGuestsFirstMoveIsPreparedOncePreflightFindsItsDisks() {
        BiConsumer<Host, List<ExportDisk>> found = preparation.start("vm1", inventory, "hostB");
        assertThat(prepared).isEmpty();

        found.accept(host("hostB"), List.of(export("vm1-root"), export("vm1-data")));

        assertThat(prepared).containsExactly("hostB [vm1-root, vm1-data]");
    }

    @Test
    void theNextMoveIsPreparedAtItsStartAndNotAgainIfTheDisksAreTheSame() {
        preparation.start("vm1", inventory, "hostB").accept(host("hostB"), List.of(export("vm1-root"), export("vm1-data")));
        prepared.clear();

        BiConsumer<Host, List<ExportDisk>> found = preparation.start("vm1", inventory, "hostA");
        assertThat(prepared).containsExactly("hostA [vm1-root, vm1-data]");
        found.accept(host("hostA"), List.of(export("vm1-root"), export("vm1-data")));

        assertThat(prepared).hasSize(1);
        assertThat(preparation.start("vm2", inventory, "hostA")).as("another guest has no guess").isNotNull();
        assertThat(prepared).hasSize(1);
    }

    @Test
    void disksOtherThanGuessedArePreparedAgain() {
        preparation.start("vm1", inventory, "hostB").accept(host("hostB"), List.of(export("vm1-root"), export("vm1-data")));
        prepared.clear();

        preparation.start("vm1", inventory, "hostA").accept(host("hostA"), List.of(export("vm1-root")));

        assertThat(prepared).containsExactly("hostA [vm1-root, vm1-data]", "hostA [vm1-root]");
    }

    /** An export the inventory no longer has as it was (reloaded since) is no guess to prepare. */
    @Test
    void aGuessTheInventoryNoLongerHoldsIsNotPrepared() throws Exception {
        preparation.start("vm1", inventory, "hostB").accept(host("hostB"), List.of(export("vm1-root")));
        prepared.clear();
        Inventory reloaded = InventoryReader.parse("engine.yaml", EngineFixture.INVENTORY
                .replace("vm1-root: {shelf: 1, slot: 0", "vm1-root: {shelf: 1, slot: 5"));

        preparation.start("vm1", reloaded, "hostA");
        assertThat(preparation.start("vm1", inventory, "hostZ")).as("an unknown destination").isNotNull();

        assertThat(prepared).isEmpty();
    }

    @Test
    void aPrepareThatThrowsIsIgnored() {
        failure = new IllegalStateException("the agent's pipe broke");
        BiConsumer<Host, List<ExportDisk>> found = preparation.start("vm1", inventory, "hostB");

        found.accept(host("hostB"), List.of(export("vm1-root")));

        assertThat(prepared).containsExactly("hostB [vm1-root]");
    }
}
