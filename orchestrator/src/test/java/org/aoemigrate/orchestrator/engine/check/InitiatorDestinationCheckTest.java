package org.aoemigrate.orchestrator.engine.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A stand-in launcher for the agent tests: {@code check ...} (one-shot) fails the identity part;
     * {@code check-agent} answers as the file {@code mode} says (pass, or die); each call is logged.
     */
    private static final String FAKE_INITIATOR = """
            #!/usr/bin/env bash
            here=$(dirname "$0")
            if [ "$1" = check-agent ]; then
              echo "agent $$" >> "$here/calls"
              while IFS= read -r line; do
                [[ $line =~ \\"id\\":([0-9]+) ]]; id=${BASH_REMATCH[1]}
                echo "agent-check $line" >> "$here/calls"
                [ "$(cat "$here/mode")" = die ] && exit 1
                printf '{"id":%s,"exit":0,"report":{"device":"e1.0","passed":true,"parts":[]},"error":""}\\n' "$id"
              done
            else
              echo "one-shot $*" >> "$here/calls"
              echo '{"device":"e1.0","passed":false,"parts":[{"part":"identity","outcome":"fail","detail":"one-shot"}]}'
              exit 8
            fi
            """;

    @Test
    void theHostsAgentIsAskedFirstWithTheCommandLinesArguments(@TempDir Path dir) throws Exception {
        Path initiator = fakeInitiator(dir, "pass");
        List<String> log = new CopyOnWriteArrayList<>();
        try (CheckAgents agents = CheckAgents.start(List.of(localHostB()), initiator.toString(), log::add)) {
            assertThat(runWith(agents, initiator)).isEqualTo(CheckOutcome.PASSED);
            assertThat(runWith(agents, initiator)).isEqualTo(CheckOutcome.PASSED);
        }
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        assertThat(calls).hasSize(3).first().asString().startsWith("agent ");
        assertThat(calls.subList(1, 3)).allSatisfy(c -> assertThat(c).startsWith("agent-check ").contains(
                "[\"e1.0\",\"--expect-id\",\"vm1-root\",\"--expect-size\",\"1073741824\",\"--expect-mac\","
                        + "\"02:00:00:00:00:01,02:00:00:00:00:02\",\"-i\",\"eth1,eth2\",\"--json\"]"));
        assertThat(log).isEmpty();
    }

    /** The first export's check is prepared on the agent with the very arguments its check then gets. */
    @Test
    void thePrepareGoesToTheHostsAgentWithTheChecksArguments(@TempDir Path dir) throws Exception {
        Path initiator = fakeInitiator(dir, "pass");
        List<String> log = new CopyOnWriteArrayList<>();
        try (CheckAgents agents = CheckAgents.start(List.of(localHostB()), initiator.toString(), log::add)) {
            InitiatorDestinationCheck check = new InitiatorDestinationCheck(new ProcessRemoteExec(), Optional.of(agents),
                    inventory.storage().macs(), e -> 1L << 30, initiator.toString(), Duration.ofSeconds(30));
            check.prepare(localHostB(), List.of(inventory.exports().get("vm1-root")));
            assertThat(check.check(localHostB(), inventory.exports().get("vm1-root"))).isEqualTo(CheckOutcome.PASSED);
        }
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        String args = "[\"e1.0\",\"--expect-id\",\"vm1-root\",\"--expect-size\",\"1073741824\",\"--expect-mac\","
                + "\"02:00:00:00:00:01,02:00:00:00:00:02\",\"-i\",\"eth1,eth2\",\"--json\"]";
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1)).startsWith("agent-check ").contains("\"prepare\":" + args);
        assertThat(calls.get(2)).startsWith("agent-check ").contains("\"args\":" + args);
        assertThat(log).isEmpty();
    }

    /** Without agents there is nothing to prepare on: the check runs one-shot as before. */
    @Test
    void withoutAgentsAPrepareRunsNothing() throws Exception {
        InitiatorDestinationCheck check = new InitiatorDestinationCheck((cmd, timeout) -> {
            commands.add(cmd);
            return new ExecResult(0, "{\"passed\":true}", "");
        }, inventory.storage().macs(), e -> 1L << 30, "aoe-initiator", Duration.ofSeconds(30));

        check.prepare(inventory.host("hostB").orElseThrow(), List.of(inventory.exports().get("vm1-root")));

        assertThat(commands).isEmpty();
    }

    /** The agent dies on the request: the check runs one-shot, whose verdict (a failed part) stands. */
    @Test
    void aBrokenAgentNeverDecidesTheCheckAlone(@TempDir Path dir) throws Exception {
        Path initiator = fakeInitiator(dir, "die");
        List<String> log = new CopyOnWriteArrayList<>();
        try (CheckAgents agents = CheckAgents.start(List.of(localHostB()), initiator.toString(), log::add)) {
            assertThat(runWith(agents, initiator).reason()).isEqualTo("the initiator check of e1.0 on hostB failed:"
                    + " identity: one-shot");
        }
        assertThat(Files.readAllLines(dir.resolve("calls"))).anyMatch(c -> c.startsWith("agent-check "))
                .contains("one-shot check e1.0 --expect-id vm1-root --expect-size 1073741824 --expect-mac"
                        + " 02:00:00:00:00:01,02:00:00:00:00:02 -i eth1,eth2 --json");
        assertThat(log).singleElement().asString().startsWith("restarting the check agent on hostB: it ended");
    }

    private static Path fakeInitiator(Path dir, String mode) throws IOException {
        Files.writeString(dir.resolve("mode"), mode);
        Path script = dir.resolve("aoe-initiator");
        Files.writeString(script, FAKE_INITIATOR);
        script.toFile().setExecutable(true);
        return script;
    }

    /** hostB run through 'env' instead of 'ssh root@hostB': a prefix that runs the command here. */
    private Host localHostB() {
        Host b = inventory.host("hostB").orElseThrow();
        return new Host(b.name(), b.libvirtUri(), b.migrationUri(), List.of("env"), b.aoePorts(), false);
    }

    private CheckOutcome runWith(CheckAgents agents, Path initiator) throws Exception {
        InitiatorDestinationCheck check = new InitiatorDestinationCheck(new ProcessRemoteExec(), Optional.of(agents),
                inventory.storage().macs(), e -> 1L << 30, initiator.toString(), Duration.ofSeconds(30));
        return check.check(localHostB(), inventory.exports().get("vm1-root"));
    }
}
