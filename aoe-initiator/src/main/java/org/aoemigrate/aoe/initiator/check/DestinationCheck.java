package org.aoemigrate.aoe.initiator.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.Identity;
import org.aoemigrate.aoe.initiator.TargetPath;
import org.aoemigrate.aoe.initiator.sysfs.AoeSysfs;
import org.aoemigrate.aoe.initiator.sysfs.DeviceNumber;
import org.aoemigrate.aoe.initiator.sysfs.SysfsDevice;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The destination check of a migration (design "One migration", step 2): before a guest moves
 * to this host, this host must see the guest's disk {@code /dev/etherd/eS.L} as the same disk
 * the source uses. Every part runs, so one report says everything that is wrong; a part that
 * cannot be judged because an earlier one failed is skipped.
 *
 * <ul>
 * <li><b>node</b>: {@code DEVDIR/eS.L} exists and is a block device. If it is missing and the
 *     Linux driver is loaded, discovery is triggered once and the node awaited.</li>
 * <li><b>driver</b>: if the Linux aoe driver has the device, its state is {@code up};
 *     skipped where the node comes from elsewhere (the userspace initiator's FUSE + loop).</li>
 * <li><b>answer</b>: the export answers Query Config on this host's interfaces. Every
 *     answering target MAC must be expected: a stranger answering for the same {@code eS.L}
 *     is the classic AoE disaster (the Linux driver merges it as another path). An expected
 *     MAC that stays silent is noted (a degraded multipath), not failed.</li>
 * <li><b>identity</b>: the config string is {@code id=ID} ({@link ExportId}), and IDENTIFY
 *     gives the expected serial if one was given.</li>
 * <li><b>size</b>: the node's size, the export's IDENTIFY size and the expected size agree.</li>
 * <li><b>read</b>: the first and last sectors read through the node.</li>
 * </ul>
 */
public final class DestinationCheck {

    private final AoeSysfs view;
    private final Duration wait;
    private final Duration readTimeout;

    /**
     * @param view        where the node and the driver's sysfs are ({@link AoeSysfs#devDir()},
     *                    {@link AoeSysfs#sysfsRoot()})
     * @param wait        how long to wait for the export to answer (and for a node to appear
     *                    after triggering the driver's discovery)
     * @param readTimeout how long reading through the node may take
     */
    public DestinationCheck(AoeSysfs view, Duration wait, Duration readTimeout) {
        this.view = view;
        this.wait = wait;
        this.readTimeout = readTimeout;
    }

    /**
     * Runs every part; {@code initiator} is open on the interfaces the export must answer on (the
     * caller closes it).
     */
    public CheckReport run(CheckExpectation expect, AoeInitiator initiator) throws IOException {
        return run(expect, startLookup(expect, initiator));
    }

    /**
     * The answer part's lookup of {@code expect}'s device over {@code initiator}, started now; it
     * needs no reservation, so a caller may start it ahead of {@link #run(CheckExpectation, RunningLookup)}.
     */
    public RunningLookup startLookup(CheckExpectation expect, AoeInitiator initiator) {
        return RunningLookup.start(initiator, expect.device(), Set.copyOf(expect.targetMacs()), wait);
    }

    /**
     * Runs every part on a lookup of {@code expect}'s device started by {@link #startLookup} (now, or
     * earlier: its stranger grace is then partly or wholly over).
     *
     * <p>Once every expected MAC has answered on every interface, discovery still listens for
     * {@link DeviceLookup#STRANGER_GRACE} for a stranger; IDENTIFY, the size and the reads run in
     * that time, on the paths heard so far. The verdict waits for the grace to end: the answer part
     * is judged on everything heard, so a stranger answering in it fails the check as before.
     */
    public CheckReport run(CheckExpectation expect, RunningLookup lookup) throws IOException {
        if (!lookup.device().equals(expect.device())) {
            throw new IllegalArgumentException("a lookup of " + lookup.device() + " cannot check " + expect.device());
        }
        List<PartResult> parts = new ArrayList<>();
        Optional<DeviceNode> node = checkNode(expect, parts);
        checkDriver(expect, parts);
        Optional<DiscoveredTarget> heardSoFar = lookup.heardSoFar();
        List<PartResult> onTheDevice = new ArrayList<>();
        Optional<Identity> identity = checkIdentity(expect, lookup.initiator(), heardSoFar, onTheDevice);
        checkSize(expect, node, identity, onTheDevice);
        checkRead(node, onTheDevice);
        checkAnswer(expect, lookup.settled(), lookup.initiator().linkNames(), parts);
        parts.addAll(onTheDevice);
        return new CheckReport(expect.device(), parts);
    }

    private Optional<DeviceNode> checkNode(CheckExpectation expect, List<PartResult> parts) throws IOException {
        Path path = view.node(expect.device());
        boolean triggered = false;
        if (!DeviceNumber.exists(path) && view.canTriggerDiscovery()) {
            view.triggerDiscovery();
            triggered = awaitNode(path);
        }
        try {
            DeviceNode node = DeviceNode.inspect(path, view.sysfsRoot());
            parts.add(PartResult.pass(CheckPart.NODE, path + " is block device " + node.number()
                    + (triggered ? " (appeared after triggering the aoe driver's discovery)" : "")));
            return Optional.of(node);
        } catch (IOException e) {
            parts.add(PartResult.fail(CheckPart.NODE, e.getMessage() + "; attach the device on this host"
                    + " (aoe-initiator attach " + expect.device() + ", or the aoe driver: aoe-discover)"));
            return Optional.empty();
        }
    }

    private boolean awaitNode(Path path) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (DeviceNumber.exists(path)) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void checkDriver(CheckExpectation expect, List<PartResult> parts) throws IOException {
        Optional<SysfsDevice> device = view.device(expect.device());
        if (device.isEmpty()) {
            parts.add(PartResult.skip(CheckPart.DRIVER, "the Linux aoe driver has no " + expect.device() + " in "
                    + view.sysfsRoot().resolve("block") + "; the node is not the kernel driver's"));
        } else if (device.get().isUp()) {
            parts.add(PartResult.pass(CheckPart.DRIVER, "aoe driver state " + device.get().state() + " on "
                    + device.get().netif()));
        } else {
            parts.add(PartResult.fail(CheckPart.DRIVER, "aoe driver state is " + device.get().state()
                    + ", not up; its I/O fails. Check the target and the cabling, then aoe-revalidate "
                    + expect.device()));
        }
    }

    private void checkAnswer(CheckExpectation expect, Optional<DiscoveredTarget> found, List<String> linkNames,
            List<PartResult> parts) {
        String links = String.join(", ", linkNames);
        if (found.isEmpty()) {
            parts.add(PartResult.fail(CheckPart.ANSWER, expect.device() + ": no answer on " + links + " within "
                    + DeviceLookup.seconds(wait) + "; is the target up and on this segment, and does its mask list"
                    + " admit this host?"));
            return;
        }
        List<TargetPath> paths = found.get().paths();
        List<MacAddress> answering = paths.stream().map(TargetPath::target).distinct().sorted().toList();
        String seen = "answered from " + macs(answering) + " over " + String.join(",", paths.stream().map(TargetPath::label).toList());
        if (expect.targetMacs().isEmpty()) {
            parts.add(PartResult.pass(CheckPart.ANSWER, seen + " (no MACs expected, any accepted)"));
            return;
        }
        List<MacAddress> strangers = answering.stream().filter(m -> !expect.targetMacs().contains(m)).toList();
        List<MacAddress> silent = expect.targetMacs().stream().filter(m -> !answering.contains(m)).toList();
        if (!strangers.isEmpty()) {
            parts.add(PartResult.fail(CheckPart.ANSWER, seen + ": " + macs(strangers) + (strangers.size() == 1 ? " is" : " are")
                    + " not among the expected " + macs(expect.targetMacs()) + "; another target serves a disk named "
                    + expect.device() + " on this segment. Stop it or renumber it before moving a guest here"));
        } else {
            parts.add(PartResult.pass(CheckPart.ANSWER, seen
                    + (silent.isEmpty() ? "" : "; expected " + macs(silent) + " did not answer (degraded multipath)")));
        }
    }

    private Optional<Identity> checkIdentity(CheckExpectation expect, AoeInitiator initiator,
            Optional<DiscoveredTarget> target, List<PartResult> parts) {
        if (target.isEmpty()) {
            parts.add(PartResult.skip(CheckPart.IDENTITY, "the export did not answer"));
            return Optional.empty();
        }
        String config = target.get().configText();
        Optional<String> id = ExportId.of(config);
        Identity identity;
        try (AoeDevice device = initiator.open(target.get())) {
            identity = device.identity();
        } catch (IOException e) {
            parts.add(PartResult.fail(CheckPart.IDENTITY, "IDENTIFY failed: " + e.getMessage()));
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (id.isEmpty()) {
            problems.add("config string \"" + config + "\" carries no export id (expected \""
                    + ExportId.configString(expect.exportId()) + "\"); set it with aoe-initiator config "
                    + expect.device() + " --set " + ExportId.configString(expect.exportId())
                    + " if this is that export");
        } else if (!id.get().equals(expect.exportId())) {
            problems.add("export id is " + id.get() + ", expected " + expect.exportId()
                    + ": this is another export under the same name");
        }
        if (expect.serial().isPresent() && !expect.serial().get().equals(identity.serial())) {
            problems.add("IDENTIFY serial is \"" + identity.serial() + "\", expected \"" + expect.serial().get() + "\"");
        }
        if (problems.isEmpty()) {
            parts.add(PartResult.pass(CheckPart.IDENTITY, "export id " + id.get() + ", serial \"" + identity.serial()
                    + "\", model \"" + identity.model() + "\""));
        } else {
            parts.add(PartResult.fail(CheckPart.IDENTITY, String.join("; ", problems)));
        }
        return Optional.of(identity);
    }

    private void checkSize(CheckExpectation expect, Optional<DeviceNode> node, Optional<Identity> identity,
            List<PartResult> parts) {
        List<String> known = new ArrayList<>();
        OptionalLong reference = expect.sizeBytes();
        String referenceName = "expected";
        if (reference.isEmpty() && identity.isPresent()) {
            reference = OptionalLong.of(identity.get().bytes());
            referenceName = "the export's";
        }
        List<String> mismatches = new ArrayList<>();
        if (expect.sizeBytes().isPresent()) {
            known.add("expected " + expect.sizeBytes().getAsLong());
        }
        if (identity.isPresent()) {
            known.add("export (IDENTIFY) " + identity.get().bytes());
            if (reference.isPresent() && identity.get().bytes() != reference.getAsLong()) {
                mismatches.add("the export has " + identity.get().bytes() + " bytes, " + referenceName + " size is "
                        + reference.getAsLong());
            }
        }
        if (node.isPresent()) {
            known.add("node " + node.get().bytes() + " (" + node.get().sizeSource() + ")");
            if (reference.isPresent() && node.get().bytes() != reference.getAsLong()) {
                mismatches.add(node.get().path() + " has " + node.get().bytes() + " bytes, " + referenceName
                        + " size is " + reference.getAsLong());
            }
        }
        if (known.size() < 2 && mismatches.isEmpty()) {
            parts.add(PartResult.skip(CheckPart.SIZE, "nothing to compare: " + (known.isEmpty() ? "no size known" : known.get(0))));
        } else if (mismatches.isEmpty()) {
            parts.add(PartResult.pass(CheckPart.SIZE, "bytes: " + String.join(", ", known)));
        } else {
            parts.add(PartResult.fail(CheckPart.SIZE, String.join("; ", mismatches)
                    + ": not the same disk, or it was resized; revalidate the device or fix the expectation"));
        }
    }

    private void checkRead(Optional<DeviceNode> node, List<PartResult> parts) {
        if (node.isEmpty()) {
            parts.add(PartResult.skip(CheckPart.READ, "no node to read"));
            return;
        }
        try {
            DeviceNode.EndsRead read = node.get().readEnds(readTimeout);
            parts.add(PartResult.pass(CheckPart.READ, "read sectors 0 and " + read.lastSector() + " through "
                    + node.get().path() + (read.direct() ? " with O_DIRECT" : " (buffered: O_DIRECT refused)")));
        } catch (IOException e) {
            parts.add(PartResult.fail(CheckPart.READ, "cannot read " + node.get().path() + ": " + e.getMessage()));
        }
    }

    private static String macs(List<MacAddress> macs) {
        return macs.stream().map(MacAddress::toString).collect(Collectors.joining(","));
    }
}
