package org.aoemigrate.orchestrator.engine.check;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.aoemigrate.orchestrator.inventory.Host;

/**
 * The daemon's check agents: one {@code aoe-initiator check-agent} per inventory host, each
 * started through the host's exec prefix when the daemon starts (so that even the first move's
 * check costs no JVM start) and stopped with it. See {@link CheckAgent}.
 */
public final class CheckAgents implements AutoCloseable {

    /** The subcommand that answers checks one per line. */
    static final String SUBCOMMAND = "check-agent";

    private final Map<String, CheckAgent> agents;

    private CheckAgents(Map<String, CheckAgent> agents) {
        this.agents = agents;
    }

    /**
     * Starts an agent on each host; their JVMs start in the background.
     *
     * @param initiator the aoe-initiator launcher's name or path on the hosts
     * @param log       where an agent's restart (and why) is told
     */
    public static CheckAgents start(Collection<Host> hosts, String initiator, Consumer<String> log) {
        Map<String, CheckAgent> agents = new LinkedHashMap<>();
        for (Host h : hosts) {
            List<String> command = new ArrayList<>(h.exec());
            command.addAll(List.of(initiator, SUBCOMMAND));
            agents.put(h.name(), new CheckAgent(h.name(), command, log));
        }
        agents.values().forEach(CheckAgent::start);
        return new CheckAgents(agents);
    }

    /**
     * The answer of {@code host}'s agent to {@code check ARGS}, or empty if the caller should run the
     * check one-shot (no agent for that host, or it has no answer to give).
     *
     * @throws IOException if the agent did not answer within {@code timeout}
     */
    Optional<ExecResult> check(Host host, List<String> args, Duration timeout) throws IOException, InterruptedException {
        CheckAgent agent = agents.get(host.name());
        return agent == null ? Optional.empty() : agent.check(args, timeout);
    }

    /**
     * Asks {@code host}'s agent to start the device lookup of {@code check ARGS} ahead of that check
     * ({@link CheckAgent#prepare}); returns at once, and does nothing where there is no agent.
     */
    void prepare(Host host, List<String> args) {
        CheckAgent agent = agents.get(host.name());
        if (agent != null) {
            agent.prepare(args);
        }
    }

    /** Stops every agent: all their inputs closed first, so they end together, then each awaited (or killed). */
    @Override
    public void close() {
        agents.values().forEach(CheckAgent::closeInput);
        agents.values().forEach(CheckAgent::close);
    }
}
