package org.aoemigrate.orchestrator.rebalance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.DurableFiles;

/**
 * The hosts put in maintenance at runtime ({@code aoemigrate drain HOST}), kept in
 * {@code STATE_DIR/maintenance.json} so that a restarted daemon still keeps guests off them:
 * <pre>{"hosts":["hostA"]}</pre>
 * The inventory's {@code maintenance: true} stays the static default; {@link #apply} adds these
 * hosts to it, and {@code undrain} ends only what a drain began.
 */
public final class MaintenanceHosts {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The file's shape. */
    private record Document(List<String> hosts) {
    }

    private final Path file;
    private final Set<String> hosts;

    private MaintenanceHosts(Path file, Set<String> hosts) {
        this.file = file;
        this.hosts = hosts;
    }

    /** Reads {@code file}; a missing file means no host is in maintenance at runtime. */
    public static MaintenanceHosts load(Path file) throws IOException {
        try {
            Document d = JSON.readValue(Files.readString(file), Document.class);
            return new MaintenanceHosts(file, new TreeSet<>(d.hosts() == null ? List.of() : d.hosts()));
        } catch (NoSuchFileException e) {
            return new MaintenanceHosts(file, new TreeSet<>());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not the maintenance state the daemon writes ({\"hosts\":[...]}): "
                    + e.getOriginalMessage() + "; fix or remove it (removing ends every runtime maintenance)", e);
        }
    }

    public synchronized Set<String> hosts() {
        return Set.copyOf(hosts);
    }

    public synchronized boolean contains(String host) {
        return hosts.contains(host);
    }

    /** Puts {@code host} in maintenance, on disk before it returns; false if it already was. */
    public synchronized boolean add(String host) throws IOException {
        if (hosts.contains(host)) {
            return false;
        }
        Set<String> next = new TreeSet<>(hosts);
        next.add(host);
        write(next);
        hosts.add(host);
        return true;
    }

    /** Ends the runtime maintenance of {@code host}, on disk before it returns; false if it had none. */
    public synchronized boolean remove(String host) throws IOException {
        if (!hosts.contains(host)) {
            return false;
        }
        Set<String> next = new TreeSet<>(hosts);
        next.remove(host);
        write(next);
        hosts.remove(host);
        return true;
    }

    /** {@code inventory} with these hosts in maintenance as well. */
    public synchronized Inventory apply(Inventory inventory) {
        return hosts.isEmpty() ? inventory : inventory.withMaintenance(hosts);
    }

    private void write(Set<String> next) throws IOException {
        DurableFiles.replace(file, JSON.writeValueAsBytes(new Document(List.copyOf(next))));
    }
}
