package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.engine.check.CheckOutcome;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.hypervisor.CpuVerdict;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HostNetworks;
import org.aoemigrate.orchestrator.hypervisor.HostResources;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;

/**
 * Every check a migration must pass before anything changes (design "One migration", step 2).
 * Each check reads only; the one thing it takes is the guest's slot (lock and limits), which it
 * gives back on any refusal. The destination's initiator check ({@link #initiatorRefusal}) is
 * not among them: it reads the disks from the destination, which a reservation naming only the
 * source refuses (r11 3.5), so it runs once step 3 has reserved them to both hosts.
 */
final class Preflight {

    private static final Pattern AOE_DEVICE = Pattern.compile("/dev/etherd/e(\\d+)\\.(\\d+)");

    private final Hypervisors hypervisors;
    private final GuestLocator locator;
    private final MigrationSlots slots;
    private final StorageFence fence;

    Preflight(Hypervisors hypervisors, MigrationSlots slots, StorageFence fence) {
        this.hypervisors = hypervisors;
        this.locator = new GuestLocator(hypervisors);
        this.slots = slots;
        this.fence = fence;
    }

    /**
     * Runs the checks in {@link PreflightCheck} order, all but {@link PreflightCheck#INITIATOR}. {@code located} hears the source as soon as
     * it is known; {@code disksFound} the destination and the guest's exports as soon as they are (the
     * initiator check may start what of it needs no reservation); {@code warn} hears what the operator
     * should know but does not refuse.
     */
    MigrationPlan run(String id, MigrationOrder order, Inventory inventory, Consumer<String> located,
            BiConsumer<Host, List<ExportDisk>> disksFound, Consumer<String> warn, Consumer<String> splitBrain)
            throws RefusedException {
        String guest = order.guest();
        Host destination = inventory.host(order.destination()).orElseThrow(() -> new RefusedException(
                PreflightCheck.DESTINATION, "there is no host " + order.destination() + " in the inventory; known hosts: "
                        + String.join(", ", new TreeSet<>(inventory.hosts().keySet()))));
        // a guest in the middle of its switchover is briefly active on two hosts: that is no split brain
        slots.refuseIfMoving(guest);
        // what the destination's checks read does not depend on the guest: asked now, beside the source, judged in order below
        CompletableFuture<Hypervisor> destinationHv = ConcurrentReads.start(() -> hypervisors.of(destination));
        CompletableFuture<HostResources> destinationResources = destinationHv.thenCompose(
                hv -> ConcurrentReads.start(hv::resources));
        CompletableFuture<HostNetworks> destinationNetworks = destinationHv.thenCompose(
                hv -> ConcurrentReads.start(hv::networks));
        GuestLocation where = locate(inventory, guest, warn, splitBrain);
        Host source = inventory.host(where.activeOn().get(0)).orElseThrow();
        boolean paused = where.states().get(source.name()) == DomainState.PAUSED;
        located.accept(source.name());
        if (source.equals(destination)) {
            throw new RefusedException(PreflightCheck.DESTINATION, guest + " already runs on " + destination.name()
                    + "; nothing to move");
        }
        if (destination.maintenance()) {
            throw new RefusedException(PreflightCheck.MAINTENANCE, destination.name()
                    + " is in maintenance; guests may not move onto it until maintenance is cleared");
        }
        MigrationPolicy policy = order.policy().orElse(inventory.policy());
        MigrationSlots.Slot slot = slots.admit(id, guest, source.name(), destination.name(), inventory.limits());
        try {
            // locating it has just heard the source's libvirt answer: its description is the next question
            Hypervisor sourceHv = source(source);
            DomainDescription domain = describe(sourceHv, source, guest);
            List<ExportDisk> exports = disks(inventory, domain, destination);
            disksFound.accept(destination, List.copyOf(exports));
            Map<ExportAddress, Set<MacAddress>> reservations = checkReservations(inventory, exports, source, guest);
            Hypervisor dstHv = answer(destinationHv, destination, PreflightCheck.LIBVIRT);
            checkMemory(dstHv, destination, answer(destinationResources, destination, PreflightCheck.LIBVIRT), domain);
            checkCpu(dstHv, destination, domain);
            checkNetworks(destinationNetworks, destination, domain);
            return new MigrationPlan(id, guest, source, destination, sourceHv, dstHv, exports, reservations, policy,
                    paused, slot);
        } catch (RefusedException | RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /**
     * The destination's initiator check of each of {@code exports}: empty if all pass, else the
     * first failure. The destination must be able to read them, so they are reserved to it (or
     * unreserved) by now.
     */
    static Optional<Refusal> initiatorRefusal(DestinationCheck check, Host destination, List<ExportDisk> exports)
            throws InterruptedException {
        for (ExportDisk e : exports) {
            CheckOutcome outcome = check.check(destination, e);
            if (!outcome.passed()) {
                return Optional.of(new Refusal(PreflightCheck.INITIATOR, outcome.reason()));
            }
        }
        return Optional.empty();
    }

    /** Where the guest is; refuses unless exactly one host runs it. */
    private GuestLocation locate(Inventory inventory, String guest, Consumer<String> warn, Consumer<String> splitBrain)
            throws RefusedException {
        GuestLocation where = locator.locate(inventory, guest);
        List<String> active = where.activeOn();
        if (!where.unreachable().isEmpty()) {
            // the reservation admits only source and destination, so a host we cannot see cannot write the disks
            warn.accept("no answer from " + String.join(", ", where.unreachable()) + " while locating " + guest
                    + "; the reservation keeps them off its disks");
        }
        if (active.size() > 1) {
            String alarm = guest + " is active on " + String.join(" and ", active)
                    + ": split brain, nothing moves; stop the copy that should not run (aoemigrate recover)";
            splitBrain.accept(alarm);
            throw new RefusedException(PreflightCheck.LOCATE, alarm);
        }
        if (active.isEmpty()) {
            String known = where.states().isEmpty() ? "no host knows it"
                    : "it is defined on " + String.join(", ", new TreeSet<>(where.states().keySet())) + " but not running";
            throw new RefusedException(PreflightCheck.LOCATE, guest + " runs nowhere (" + known
                    + "); only a running guest can be live-migrated");
        }
        return where;
    }

    private Hypervisor source(Host source) throws RefusedException {
        try {
            return hypervisors.of(source);
        } catch (HypervisorException e) {
            throw doesNotAnswer(source, PreflightCheck.LOCATE, e);
        }
    }

    /** A read started earlier on {@code host}'s libvirt: its answer, or {@code check}'s refusal if it gave none. */
    private static <T> T answer(CompletableFuture<T> read, Host host, PreflightCheck check) throws RefusedException {
        try {
            return ConcurrentReads.await(read);
        } catch (HypervisorException e) {
            throw doesNotAnswer(host, check, e);
        }
    }

    private static RefusedException doesNotAnswer(Host host, PreflightCheck check, HypervisorException e) {
        return new RefusedException(check, host.name() + "'s libvirt (" + host.libvirtUri() + ") does not answer: "
                + e.getMessage());
    }

    /** The guest's description; a source libvirt gone since it was located refuses as locating would have. */
    private static DomainDescription describe(Hypervisor hv, Host source, String guest) throws RefusedException {
        try {
            return DomainDescription.parse(hv.domainXml(guest));
        } catch (HypervisorException e) {
            if (e.kind() == HypervisorException.Kind.UNREACHABLE) {
                throw doesNotAnswer(source, PreflightCheck.LOCATE, e);
            }
            throw cannotDescribe(hv, guest, e);
        } catch (IllegalArgumentException e) {
            throw cannotDescribe(hv, guest, e);
        }
    }

    private static RefusedException cannotDescribe(Hypervisor hv, String guest, Exception e) {
        return new RefusedException(PreflightCheck.DISKS, "cannot read " + guest + "'s domain XML on " + hv.host() + ": "
                + e.getMessage());
    }

    /** The exports behind the guest's disks; a disk that is not a shared AoE disk refuses the move. */
    private static List<ExportDisk> disks(Inventory inventory, DomainDescription domain, Host destination)
            throws RefusedException {
        List<ExportDisk> exports = new ArrayList<>();
        for (GuestDisk d : domain.disks()) {
            if (!d.hasMedium()) {
                continue;
            }
            String which = "disk " + (d.target().isEmpty() ? d.source() : d.target()) + " of " + domain.name();
            Matcher m = AOE_DEVICE.matcher(d.source());
            if (!"block".equals(d.type()) || !m.matches()) {
                throw new RefusedException(PreflightCheck.DISKS, which + " is " + d.type() + " " + d.source()
                        + ", not an AoE device /dev/etherd/eS.L; only shared AoE disks move without a storage copy");
            }
            ExportAddress address;
            try {
                address = new ExportAddress(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            } catch (IllegalArgumentException e) {
                throw new RefusedException(PreflightCheck.DISKS, which + " is " + d.source() + ": " + e.getMessage());
            }
            ExportDisk export = inventory.exportAt(address).orElseThrow(() -> new RefusedException(PreflightCheck.DISKS,
                    which + " is " + d.source() + ", which no export in the inventory serves; add it to exports"));
            if (!"none".equals(d.cache())) {
                throw new RefusedException(PreflightCheck.DISKS, which + " (" + d.source() + ") is opened with cache='"
                        + (d.cache().isEmpty() ? "default" : d.cache()) + "'; a shared disk must use cache='none' so no"
                        + " host keeps writes in its page cache");
            }
            if (!export.hosts().contains(destination.name())) {
                throw new RefusedException(PreflightCheck.DISKS, "export " + export.name() + " (" + address
                        + ") may not be seen by " + destination.name() + " (its hosts: "
                        + String.join(", ", new TreeSet<>(export.hosts())) + "); add " + destination.name() + " to them");
            }
            if (!exports.contains(export)) {
                exports.add(export);
            }
        }
        return exports;
    }

    /**
     * A reservation naming anyone but the source means an earlier move or a manual change left the
     * disks half-way; moving now would hide that, so it is settled first. Returns each export's
     * reservation as found, so a refusal after step 3 can put it back.
     */
    private Map<ExportAddress, Set<MacAddress>> checkReservations(Inventory inventory, List<ExportDisk> exports,
            Host source, String guest) throws RefusedException {
        Map<ExportAddress, Set<MacAddress>> found = new LinkedHashMap<>();
        for (ExportDisk e : exports) {
            Set<MacAddress> holders;
            try {
                holders = fence.read(e.address());
            } catch (IOException x) {
                throw new RefusedException(PreflightCheck.RESERVATION, "cannot read the reservation of export " + e.name()
                        + " (" + e.address() + "): " + x.getMessage());
            }
            Set<MacAddress> foreign = new TreeSet<>(holders);
            foreign.removeAll(source.macs());
            if (!foreign.isEmpty()) {
                throw new RefusedException(PreflightCheck.RESERVATION, "export " + e.name() + " (" + e.address()
                        + ") is reserved to " + owners(inventory, foreign) + ", not only to " + source.name() + " where "
                        + guest + " runs; settle it first (aoemigrate recover)");
            }
            found.put(e.address(), Set.copyOf(holders));
        }
        return found;
    }

    /** "hostC (02:00:00:00:00:0c)", or the bare MAC when no host has it. */
    private static String owners(Inventory inventory, Set<MacAddress> macs) {
        List<String> names = new ArrayList<>();
        for (MacAddress mac : macs) {
            names.add(inventory.hosts().values().stream().filter(h -> h.macs().contains(mac)).map(h -> h.name() + " (" + mac + ")")
                    .findFirst().orElse(mac.toString()));
        }
        return String.join(", ", names);
    }

    /**
     * libvirt's free memory must hold the guest; and where the operator gave the host a
     * {@code guestMemoryMiB}, the guests defined there (running or not: a defined guest may be
     * started) plus this one must fit in it. Free memory alone cannot tell hosts that share one
     * machine's RAM apart, nor keep room the operator wants for the host itself.
     */
    private static void checkMemory(Hypervisor hv, Host destination, HostResources r, DomainDescription domain)
            throws RefusedException {
        if (r.freeMemoryBytes() < domain.memoryBytes()) {
            throw new RefusedException(PreflightCheck.MEMORY, destination.name() + " has " + mib(r.freeMemoryBytes())
                    + " MiB free, " + domain.name() + " needs " + mib(domain.memoryBytes()) + " MiB");
        }
        if (destination.guestMemoryBytes().isEmpty()) {
            return;
        }
        long limit = destination.guestMemoryBytes().getAsLong();
        Map<String, Long> there = guestMemory(hv, destination, domain.name());
        long used = there.values().stream().mapToLong(Long::longValue).sum();
        if (used + domain.memoryBytes() > limit) {
            String whose = there.isEmpty() ? "no guests there" : "its guests (" + String.join(", ", new TreeSet<>(there.keySet()))
                    + ") have " + mib(used) + " MiB";
            throw new RefusedException(PreflightCheck.MEMORY, destination.name() + " lets its guests use "
                    + mib(limit) + " MiB (guestMemoryMiB); " + whose + ", " + domain.name() + " needs "
                    + mib(domain.memoryBytes()) + " MiB more");
        }
    }

    /** The memory of every guest defined or running on {@code host} but {@code moving}, by name. */
    private static Map<String, Long> guestMemory(Hypervisor hv, Host host, String moving) throws RefusedException {
        Map<String, Long> memory = new LinkedHashMap<>();
        String current = null;
        try {
            for (String guest : hv.domains().keySet()) {
                if (!guest.equals(moving)) {
                    current = guest;
                    memory.put(guest, DomainDescription.parse(hv.domainXml(guest)).memoryBytes());
                }
            }
        } catch (HypervisorException | IllegalArgumentException e) {
            throw new RefusedException(PreflightCheck.MEMORY, "cannot add up the memory of " + host.name() + "'s guests"
                    + (current == null ? "" : " (at " + current + ")") + " against its guestMemoryMiB: " + e.getMessage());
        }
        return memory;
    }

    private static void checkCpu(Hypervisor hv, Host destination, DomainDescription domain) throws RefusedException {
        if (domain.cpuXml().isEmpty()) {
            return;
        }
        CpuVerdict verdict;
        try {
            verdict = hv.compareHypervisorCpu(domain.type(), domain.cpuXml().get());
        } catch (HypervisorException e) {
            throw new RefusedException(PreflightCheck.CPU, "cannot compare " + domain.name() + "'s CPU with "
                    + destination.name() + "'s: " + e.getMessage());
        }
        if (!verdict.compatible()) {
            throw new RefusedException(PreflightCheck.CPU, destination.name() + "'s CPU cannot run " + domain.name()
                    + "'s CPU definition: " + verdict.reason());
        }
    }

    private static void checkNetworks(CompletableFuture<HostNetworks> networks, Host destination, DomainDescription domain)
            throws RefusedException {
        HostNetworks there;
        try {
            there = ConcurrentReads.await(networks);
        } catch (HypervisorException e) {
            throw new RefusedException(PreflightCheck.NETWORK, "cannot list " + destination.name() + "'s networks: "
                    + e.getMessage());
        }
        for (GuestInterface i : domain.interfaces()) {
            boolean network = "network".equals(i.type());
            boolean bridge = "bridge".equals(i.type());
            if ((network && !there.networks().contains(i.source())) || (bridge && !there.interfaces().contains(i.source()))) {
                throw new RefusedException(PreflightCheck.NETWORK, domain.name() + " uses " + (network ? "network '" : "bridge '")
                        + i.source() + "', which " + destination.name() + " does not have (it has: "
                        + String.join(", ", new TreeSet<>(network ? there.networks() : there.interfaces())) + ")");
            }
        }
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
