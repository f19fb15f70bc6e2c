package org.aoemigrate.orchestrator.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.inventory.AoePort;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;

/**
 * Runs {@code aoe-initiator check eS.L --expect-id ID --expect-size BYTES --expect-mac MACS -i IFACES --json}
 * on the destination: asks the host's resident check agent ({@link CheckAgents}) if there is one
 * with an answer to give, else runs the command through the host's exec prefix. Either way the
 * same check runs in full and its exit status and report mean the same. {@link #prepare} has the
 * agent start the first export's lookup (discovery and stranger grace) during preflight, before
 * the reservation that the rest of the check needs. The export id is the
 * inventory name; the target carries it in the config string as {@code id=NAME} (aoe-initiator's
 * {@code ExportId} convention). Exit 0: every part held; 8: a part failed (its detail is the
 * reason); anything else: the check could not run, which also refuses the migration.
 */
public final class InitiatorDestinationCheck implements DestinationCheck {

    /** aoe-initiator's exit status when a part of the check failed. */
    static final int CHECK_FAILED = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteExec exec;
    private final Optional<CheckAgents> agents;
    private final Set<MacAddress> targetMacs;
    private final ExportSizes sizes;
    private final String command;
    private final Duration timeout;

    /**
     * @param command the aoe-initiator launcher's name or path on the hosts
     * @param timeout how long the whole remote check may take
     */
    public InitiatorDestinationCheck(RemoteExec exec, Set<MacAddress> targetMacs, ExportSizes sizes, String command,
            Duration timeout) {
        this(exec, Optional.empty(), targetMacs, sizes, command, timeout);
    }

    /**
     * @param agents the hosts' check agents, asked first; a check they do not answer runs through {@code exec}
     */
    public InitiatorDestinationCheck(RemoteExec exec, Optional<CheckAgents> agents, Set<MacAddress> targetMacs,
            ExportSizes sizes, String command, Duration timeout) {
        this.exec = exec;
        this.agents = agents;
        this.targetMacs = Set.copyOf(targetMacs);
        this.sizes = sizes;
        this.command = command;
        this.timeout = timeout;
    }

    /** The full command line, prefix included. */
    List<String> commandLine(Host destination, List<String> checkArgs) {
        List<String> cmd = new ArrayList<>(destination.exec());
        cmd.addAll(List.of(command, "check"));
        cmd.addAll(checkArgs);
        return cmd;
    }

    /** What follows {@code check} on its command line; a check agent takes the same. */
    List<String> checkArgs(Host destination, ExportDisk export, long sizeBytes) {
        List<String> cmd = new ArrayList<>(List.of(export.address().toString(), "--expect-id", export.name(),
                "--expect-size", Long.toString(sizeBytes)));
        if (!targetMacs.isEmpty()) {
            cmd.add("--expect-mac");
            cmd.add(targetMacs.stream().sorted().map(MacAddress::toString).collect(Collectors.joining(",")));
        }
        cmd.add("-i");
        cmd.add(destination.aoePorts().stream().map(AoePort::name).collect(Collectors.joining(",")));
        cmd.add("--json");
        return cmd;
    }

    /**
     * Has the destination's agent start the device lookup of the first export's check, with that
     * check's arguments (so the agent knows the check it is for). The agent keeps one lookup at a
     * time, so only the first export's, the one checked next; the others' checks run as before.
     */
    @Override
    public void prepare(Host destination, List<ExportDisk> exports) {
        if (agents.isEmpty() || exports.isEmpty()) {
            return;
        }
        ExportDisk first = exports.get(0);
        long size;
        try {
            size = sizes.sizeBytes(first);
        } catch (IOException e) {
            return; // its check says so
        }
        agents.get().prepare(destination, checkArgs(destination, first, size));
    }

    @Override
    public CheckOutcome check(Host destination, ExportDisk export) throws InterruptedException {
        String where = export.address() + " on " + destination.name();
        long size;
        try {
            size = sizes.sizeBytes(export);
        } catch (IOException e) {
            return CheckOutcome.failed("the size of export " + export.name() + " is unknown (" + e.getMessage() + ")");
        }
        List<String> args = checkArgs(destination, export, size);
        ExecResult r;
        try {
            Optional<ExecResult> answered = agents.isPresent() ? agents.get().check(destination, args, timeout)
                    : Optional.empty();
            r = answered.isPresent() ? answered.get() : exec.run(commandLine(destination, args), timeout);
        } catch (IOException e) {
            return CheckOutcome.failed("the initiator check of " + where + " could not run: " + e.getMessage());
        }
        if (r.exitCode() == 0) {
            return CheckOutcome.PASSED;
        }
        if (r.exitCode() == CHECK_FAILED) {
            return CheckOutcome.failed("the initiator check of " + where + " failed: " + failedParts(r.stdout()));
        }
        String err = r.stderr().strip().lines().reduce((a, b) -> b).orElse("no message");
        return CheckOutcome.failed("the initiator check of " + where + " could not run (exit " + r.exitCode() + "): " + err);
    }

    /** "answer: e1.0 also answers from 02:...; identity: ..." from the report's failed parts. */
    private static String failedParts(String json) {
        try {
            JsonNode report = JSON.readTree(json);
            List<String> failed = new ArrayList<>();
            for (JsonNode part : report.path("parts")) {
                if ("fail".equals(part.path("outcome").asText())) {
                    failed.add(part.path("part").asText() + ": " + part.path("detail").asText());
                }
            }
            return failed.isEmpty() ? "no part named (report: " + json.strip() + ")" : String.join("; ", failed);
        } catch (IOException e) {
            return "its report is not JSON: " + json.strip();
        }
    }
}
