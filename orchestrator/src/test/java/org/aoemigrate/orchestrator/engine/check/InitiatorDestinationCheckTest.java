package org.aoemigrate.orchestrator.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InitiatorDestinationCheckTest {

    private static final String INVENTORY = """
            hosts:
              hostB: {libvirtUri: 'qemu+ssh://root@hostB/system', exec: 'ssh root@hostB', aoe: [{interface: eth1, mac: '02:00:00:00:00:0b'}, {interface: eth2, mac: '02:00:00:00:01:0b'}]}
            storage: {stateDir: /var/lib/aoemigrate, interfaces: [{interface: st0, mac: '02:00:00:00:00:01'}, {interface: st1, mac: '02:00:00:00:00:02'}]}
            exports:
              vm1-root: {shelf: 1, slot: 0, image: /srv/vm1.img, hosts: [hostB]}
            """;

    private Inventory inventory;
    private final List<List<String>> commands = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        inventory = InventoryReader.parse("i.yaml", INVENTORY);
    }

    private CheckOutcome run(ExecResult answer) throws Exception {
        return run((cmd, timeout) -> {
            commands.add(cmd);
            return answer;
        });
    }

    private CheckOutcome run(RemoteExec exec) throws Exception {
        InitiatorDestinationCheck check = new InitiatorDestinationCheck(exec, inventory.storage().macs(), e -> 1L << 30,
                "aoe-initiator", Duration.ofSeconds(30));
        return check.check(inventory.host("hostB").orElseThrow(), inventory.exports().get("vm1-root"));
    }

    @Test
    void runsTheCheckThroughTheExecPrefixAndPassesOnExitZero() throws Exception {
        assertThat(run(new ExecResult(0, "{\"passed\":true}", ""))).isEqualTo(CheckOutcome.PASSED);
        assertThat(commands).containsExactly(List.of("ssh", "root@hostB", "aoe-initiator", "check", "e1.0",
                "--expect-id", "vm1-root", "--expect-size", "1073741824",
                "--expect-mac", "02:00:00:00:00:01,02:00:00:00:00:02", "-i", "eth1,eth2", "--json"));
    }

    @Test
    void aFailedPartIsTheReason() throws Exception {
        String report = """
                {"device":"e1.0","passed":false,"parts":[
                 {"part":"node","outcome":"pass","detail":"/dev/etherd/e1.0 is block device 7:0"},
                 {"part":"answer","outcome":"fail","detail":"e1.0 also answers from 02:00:00:00:00:99, a target not expected"},
                 {"part":"identity","outcome":"fail","detail":"config string is 'id=old', not 'id=vm1-root'"}]}
                """;
        assertThat(run(new ExecResult(8, report, "")).reason()).isEqualTo("the initiator check of e1.0 on hostB failed:"
                + " answer: e1.0 also answers from 02:00:00:00:00:99, a target not expected; identity: config string is"
                + " 'id=old', not 'id=vm1-root'");
    }

    @Test
    void aCheckThatCannotRunRefusesToo() throws Exception {
        assertThat(run(new ExecResult(255, "", "ssh: connect to host hostB port 22: No route to host\n")).reason())
                .isEqualTo("the initiator check of e1.0 on hostB could not run (exit 255): ssh: connect to host hostB"
                        + " port 22: No route to host");
        assertThat(run((cmd, t) -> {
            throw new IOException("'ssh root@hostB ...' did not finish within 30 s");
        }).reason()).isEqualTo("the initiator check of e1.0 on hostB could not run: 'ssh root@hostB ...' did not finish"
                + " within 30 s");
    }
}
