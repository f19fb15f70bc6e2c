package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.ExportDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.HostDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.LimitsDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.MigrationDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.PolicyDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.PortDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.RebalanceDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.ScheduleDoc;
import org.aoemigrate.orchestrator.inventory.InventoryDocument.StorageDoc;

/**
 * Reads the inventory YAML (a full example: the test resource {@code inventory/lab.yaml}). Unknown and repeated keys are
 * refused; references are checked (an export's hosts exist, each {@code eS.L} and each MAC is
 * used once); every message names the file, the line and the key.
 */
public final class InventoryReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule().addDeserializer(MacAddress.class, new MacAddressDeserializer()))
            .build();

    /** Moves per scheduled run when the schedule does not say. */
    static final int DEFAULT_SCHEDULED_MOVES = 5;

    private final String source;
    private final YamlLines lines;

    private InventoryReader(String source, YamlLines lines) {
        this.source = source;
        this.lines = lines;
    }

    public static Inventory read(Path file) throws InventoryException, IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InventoryException(file.toString(), 0, "no such file; pass the inventory with --config FILE");
        }
        return parse(file.getFileName().toString(), text);
    }

    /** Parses {@code text}; {@code source} names it in messages. */
    public static Inventory parse(String source, String text) throws InventoryException {
        InventoryDocument doc;
        YamlLines lines = null;
        try {
            lines = YamlLines.of(source, text);
            JsonNode tree = MAPPER.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new InventoryException(source, 0, "is empty; it needs hosts, storage and exports");
            }
            doc = MAPPER.readValue(text, InventoryDocument.class);
        } catch (JsonMappingException e) {
            throw BindingProblem.describe(source, lines, e);
        } catch (JsonProcessingException e) {
            throw InventoryProblems.notYaml(source, e);
        } catch (IOException e) {
            throw new InventoryException(source, 0, "cannot be read: " + e.getMessage());
        }
        return new InventoryReader(source, lines).build(doc);
    }

    private InventoryException problem(List<Object> path, String what) {
        return new InventoryException(source, lines.lineOf(path), what);
    }

    private Inventory build(InventoryDocument doc) throws InventoryException {
        if (doc.hosts() == null || doc.hosts().isEmpty()) {
            throw problem(List.of("hosts"), "no hosts: list the hypervisors under 'hosts:'");
        }
        if (doc.storage() == null) {
            throw InventoryProblems.noStorage(source);
        }
        Map<String, Host> hosts = new LinkedHashMap<>();
        for (Map.Entry<String, HostDoc> e : doc.hosts().entrySet()) {
            hosts.put(e.getKey(), host(e.getKey(), e.getValue()));
        }
        Storage storage = storage(doc.storage());
        checkMacsUnique(doc, hosts, storage);
        Map<String, ExportDisk> exports = new LinkedHashMap<>();
        Map<ExportAddress, String> byAddress = new HashMap<>();
        for (Map.Entry<String, ExportDoc> e : doc.exports() == null ? Map.<String, ExportDoc>of().entrySet()
                : doc.exports().entrySet()) {
            ExportDisk disk = export(e.getKey(), e.getValue(), hosts.keySet());
            String other = byAddress.putIfAbsent(disk.address(), disk.name());
            if (other != null) {
                throw problem(List.of("exports", disk.name(), "shelf"), "export " + disk.name() + " uses "
                        + disk.address() + ", as export " + other + " does; give each export its own shelf and slot");
            }
            exports.put(e.getKey(), disk);
        }
        PolicyDoc policy = doc.policy() == null ? new PolicyDoc(null, null, null) : doc.policy();
        return new Inventory(hosts, storage, exports, migrationPolicy(policy), limits(policy.limits()),
                rebalance(doc.rebalance()));
    }

    private Host host(String name, HostDoc h) throws InventoryException {
        List<Object> at = List.of("hosts", name);
        if (h == null) {
            throw problem(at, "host " + name + " is empty; give at least libvirtUri, exec and aoe");
        }
        String libvirtUri = required(at, "host " + name, "libvirtUri", h.libvirtUri(),
                "the URI the daemon connects to, e.g. qemu+ssh://root@" + name + "/system");
        List<String> exec = exec(name, h.exec());
        if (h.aoe() == null || h.aoe().isEmpty()) {
            throw problem(at, "host " + name + " has no 'aoe' ports; list its AoE interfaces with their MACs"
                    + " (- interface: eth1, mac: 02:00:00:00:00:0a)");
        }
        OptionalLong guestMemory = h.guestMemoryMiB() == null ? OptionalLong.empty()
                : OptionalLong.of(atLeast(at, "guestMemoryMiB", h.guestMemoryMiB(), 0, 1));
        return new Host(name, libvirtUri, h.migrationUri() == null ? libvirtUri : h.migrationUri(), exec,
                ports(append(at, "aoe"), "host " + name, h.aoe()), Boolean.TRUE.equals(h.maintenance()), guestMemory);
    }

    /** {@code exec} is a list of words, or one string split at spaces. */
    private List<String> exec(String host, JsonNode exec) throws InventoryException {
        List<Object> at = List.of("hosts", host, "exec");
        List<String> words = new ArrayList<>();
        if (exec != null && exec.isTextual()) {
            words.addAll(Arrays.asList(exec.asText().strip().split("\\s+")));
        } else if (exec != null && exec.isArray()) {
            for (JsonNode w : exec) {
                if (!w.isTextual() && !w.isNumber()) {
                    throw problem(at, "'exec' in host " + host + " must be words, not " + w.getNodeType().name().toLowerCase(Locale.ROOT));
                }
                words.add(w.asText());
            }
        } else if (exec != null) {
            throw problem(at, "'exec' in host " + host + " must be a command prefix such as 'ssh root@" + host + "'");
        }
        words.removeIf(String::isEmpty);
        if (words.isEmpty()) {
            throw problem(List.of("hosts", host), "host " + host + " has no 'exec': give the prefix that runs a command"
                    + " there, e.g. 'ssh root@" + host + "' (the lab's: 'lab exec " + host + " --')");
        }
        return words;
    }

    private List<AoePort> ports(List<Object> at, String owner, List<PortDoc> docs) throws InventoryException {
        List<AoePort> ports = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            PortDoc d = docs.get(i);
            List<Object> item = append(at, i);
            if (d == null || d.name() == null || d.mac() == null) {
                throw problem(item, owner + ": " + at.get(at.size() - 1) + " item " + (i + 1)
                        + " needs both 'interface' and 'mac' (- interface: eth1, mac: 02:00:00:00:00:0a)");
            }
            ports.add(new AoePort(d.name(), d.mac()));
        }
        return ports;
    }

    private Storage storage(StorageDoc s) throws InventoryException {
        List<Object> at = List.of("storage");
        if (s.interfaces() == null || s.interfaces().isEmpty()) {
            throw problem(at, "storage has no 'interfaces': list the target's AoE interfaces with their MACs");
        }
        String stateDir = required(at, "storage", "stateDir", s.stateDir(), "where export state is kept, e.g. /var/lib/aoemigrate");
        return new Storage(ports(append(at, "interfaces"), "storage", s.interfaces()), Path.of(stateDir));
    }

    /** A MAC on two hosts would let a fenced host keep writing through the other's reservation. */
    private void checkMacsUnique(InventoryDocument doc, Map<String, Host> hosts, Storage storage) throws InventoryException {
        Map<MacAddress, String> owners = new HashMap<>();
        for (Host h : hosts.values()) {
            for (int i = 0; i < h.aoePorts().size(); i++) {
                String other = owners.putIfAbsent(h.aoePorts().get(i).mac(), "host " + h.name());
                if (other != null) {
                    throw problem(List.of("hosts", h.name(), "aoe", i, "mac"), "MAC " + h.aoePorts().get(i).mac()
                            + " of host " + h.name() + " is also given for " + other + "; each AoE port has its own MAC");
                }
            }
        }
        for (int i = 0; i < storage.ports().size(); i++) {
            String other = owners.putIfAbsent(storage.ports().get(i).mac(), "storage");
            if (other != null) {
                throw problem(List.of("storage", "interfaces", i, "mac"), "MAC " + storage.ports().get(i).mac()
                        + " of storage is also given for " + other + "; each AoE port has its own MAC");
            }
        }
    }

    private ExportDisk export(String name, ExportDoc e, Set<String> hostNames) throws InventoryException {
        List<Object> at = List.of("exports", name);
        String owner = "export " + name;
        if (e == null) {
            throw problem(at, owner + " is empty; give shelf, slot, image and hosts");
        }
        int shelf = required(at, owner, "shelf", e.shelf(), "the AoE shelf number (0-4094 or 4096-65534)");
        int slot = required(at, owner, "slot", e.slot(), "the AoE slot number (0-254)");
        ExportAddress address;
        try {
            address = new ExportAddress(shelf, slot);
        } catch (IllegalArgumentException bad) {
            throw problem(append(at, isShelfBad(shelf) ? "shelf" : "slot"), owner + ": " + bad.getMessage());
        }
        String image = required(at, owner, "image", e.image(), "the disk image the target serves, e.g. /srv/aoe/" + name + ".img");
        if (e.hosts() == null || e.hosts().isEmpty()) {
            throw problem(at, owner + " has no 'hosts': list the hosts that may see it (hosts: [hostA, hostB])");
        }
        Set<String> visible = new LinkedHashSet<>();
        for (int i = 0; i < e.hosts().size(); i++) {
            String h = e.hosts().get(i);
            if (!hostNames.contains(h)) {
                throw problem(List.of("exports", name, "hosts", i), owner + " names host '" + h
                        + "', which is not in hosts; known hosts: " + String.join(", ", new TreeSet<>(hostNames)));
            }
            visible.add(h);
        }
        return new ExportDisk(name, address, Path.of(image), e.ioMode() == null ? IoMode.BUFFERED : e.ioMode(), visible);
    }

    private static boolean isShelfBad(int shelf) {
        try {
            new ExportAddress(shelf, 0);
            return false;
        } catch (IllegalArgumentException bad) {
            return true;
        }
    }

    private MigrationPolicy migrationPolicy(PolicyDoc p) throws InventoryException {
        MigrationPolicy d = MigrationPolicy.DEFAULT;
        MigrationDoc m = p.migration() == null ? new MigrationDoc(null, null, null, null, null, null, null, null) : p.migration();
        List<Object> at = List.of("policy", "migration");
        long bandwidth = atLeast(at, "bandwidthMiBps", m.bandwidthMiBps(), d.bandwidthMiBps(), 0);
        long downtime = atLeast(at, "maxDowntimeMs", m.maxDowntimeMs(), d.maxDowntime().toMillis(), 1);
        List<Duration> steps = d.downtimeSteps();
        if (m.downtimeStepsMs() != null) {
            steps = new ArrayList<>();
            long previous = downtime;
            for (int i = 0; i < m.downtimeStepsMs().size(); i++) {
                Long step = m.downtimeStepsMs().get(i);
                if (step == null || step <= previous) {
                    throw problem(List.of("policy", "migration", "downtimeStepsMs", i), "'downtimeStepsMs' in policy.migration:"
                            + " each step must be larger than the one before (and than maxDowntimeMs " + downtime
                            + "), not " + step);
                }
                steps.add(Duration.ofMillis(step));
                previous = step;
            }
        }
        long postCopyBandwidth = atLeast(at, "postCopyBandwidthMiBps", m.postCopyBandwidthMiBps(),
                d.postCopyBandwidthMiBps(), 0);
        long timeout = atLeast(at, "timeoutSeconds", m.timeoutSeconds(), d.timeout().toSeconds(), 1);
        return new MigrationPolicy(bandwidth, Duration.ofMillis(downtime), steps,
                m.autoConverge() == null ? d.autoConverge() : m.autoConverge(),
                m.postCopy() == null ? d.postCopy() : m.postCopy(), postCopyBandwidth, Duration.ofSeconds(timeout),
                m.onTimeout() == null ? d.onTimeout() : m.onTimeout(), p.cutover() == null ? d.cutover() : p.cutover());
    }

    private MigrationLimits limits(LimitsDoc l) throws InventoryException {
        MigrationLimits d = MigrationLimits.DEFAULT;
        if (l == null) {
            return d;
        }
        List<Object> at = List.of("policy", "limits");
        return new MigrationLimits((int) atLeast(at, "global", l.global(), d.global(), 1),
                (int) atLeast(at, "perHostOutbound", l.perHostOutbound(), d.perHostOutbound(), 1),
                (int) atLeast(at, "perHostInbound", l.perHostInbound(), d.perHostInbound(), 1));
    }

    private RebalanceSettings rebalance(RebalanceDoc r) throws InventoryException {
        RebalanceSettings d = RebalanceSettings.DEFAULT;
        if (r == null) {
            return d;
        }
        List<Object> at = List.of("rebalance");
        Optional<RebalanceSchedule> schedule = Optional.empty();
        if (r.schedule() != null) {
            ScheduleDoc s = r.schedule();
            List<Object> sat = append(at, "schedule");
            if (s.intervalMinutes() == null) {
                throw problem(sat, "rebalance.schedule has no 'intervalMinutes'; give the minutes from one run to the next,"
                        + " e.g. intervalMinutes: 60");
            }
            long minutes = atLeast(sat, "intervalMinutes", s.intervalMinutes(), 0, 1);
            int maxMoves = (int) atLeast(sat, "maxMoves", s.maxMoves(), DEFAULT_SCHEDULED_MOVES, 1);
            Optional<TimeWindow> window = Optional.empty();
            if (s.window() != null) {
                try {
                    window = Optional.of(TimeWindow.parse(s.window()));
                } catch (IllegalArgumentException bad) {
                    throw problem(append(sat, "window"), "'window' in rebalance.schedule: " + bad.getMessage());
                }
            }
            schedule = Optional.of(new RebalanceSchedule(Duration.ofMinutes(minutes), window, maxMoves));
        }
        Duration hold = Duration.ofMinutes(atLeast(at, "holdMinutes", r.holdMinutes(), d.holdTime().toMinutes(), 0));
        Set<String> pinned = r.pinned() == null ? Set.of() : Set.copyOf(r.pinned());
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        if (r.antiAffinity() != null) {
            for (Map.Entry<String, List<String>> g : r.antiAffinity().entrySet()) {
                if (g.getValue() == null || g.getValue().size() < 2) {
                    throw problem(List.of("rebalance", "antiAffinity", g.getKey()), "anti-affinity group " + g.getKey()
                            + " in rebalance.antiAffinity needs two guests or more (web: [vm1, vm2])");
                }
                groups.put(g.getKey(), Set.copyOf(g.getValue()));
            }
        }
        return new RebalanceSettings(schedule, hold, pinned, groups);
    }

    private long atLeast(List<Object> at, String key, Number value, long otherwise, long min) throws InventoryException {
        if (value == null) {
            return otherwise;
        }
        if (value.longValue() < min) {
            throw problem(append(at, key), "'" + key + "' in " + at.stream().map(String::valueOf).collect(Collectors.joining("."))
                    + " must be " + min + " or more, not " + value);
        }
        return value.longValue();
    }

    private <T> T required(List<Object> at, String owner, String key, T value, String whatToWrite) throws InventoryException {
        if (value == null) {
            throw problem(at, owner + " has no '" + key + "'; give " + whatToWrite);
        }
        return value;
    }

    private static List<Object> append(List<Object> path, Object key) {
        List<Object> l = new ArrayList<>(path);
        l.add(key);
        return l;
    }
}
