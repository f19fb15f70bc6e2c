package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.PathStats;
import org.aoemigrate.aoe.initiator.TargetPath;
import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * AoE devices served as {@code /dev/etherd/eS.L}: each discovered device opened on the initiator,
 * adapted by {@link AoeBlockBackend}, attached by {@link EtherdAttachment}, and its state
 * published as a status file for {@code aoe-initiator stat} (rewritten when a path goes down or
 * comes back). What {@code aoe-initiator attach} runs; {@link #close()} undoes it all and leaves
 * the initiator to its owner.
 */
public final class AoeEtherd implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AoeEtherd.class.getName());
    private static final Duration REFRESH = Duration.ofSeconds(1);

    /** One served device, as the attach command reports it. */
    public record Served(EtherdAttachment.Device attached, AoeDevice device) {

        public long sizeBytes() {
            return device.sectors() * AoeConstants.SECTOR_SIZE;
        }

        /** {@code e1.1 /dev/etherd/e1.1 -> /dev/loop3 (1073741824 bytes, paths: vI->02:..)} */
        public String line() {
            return attached.name() + " " + attached.node() + " -> " + attached.loop().device() + " (" + sizeBytes() + " bytes, paths: "
                    + String.join(" ", device.paths().stream().map(TargetPath::label).toList()) + ")";
        }
    }

    private final EtherdAttachment attachment;
    private final List<Served> served;
    private final Path statusDir;
    private final Map<Served, EtherdStatus> published = new LinkedHashMap<>();
    private final Thread refresher;
    private boolean closed;

    private AoeEtherd(EtherdAttachment attachment, List<Served> served, Path statusDir) {
        this.attachment = attachment;
        this.served = served;
        this.statusDir = statusDir;
        this.refresher = new Thread(this::refreshLoop, "etherd-status");
        refresher.setDaemon(true);
    }

    /**
     * Opens each target on {@code initiator} and serves it. On failure, what was opened is closed
     * and what was attached detached before the exception propagates.
     *
     * @param statusDir where the status files go ({@link EtherdStatusFiles#statusDir})
     */
    public static AoeEtherd start(AoeInitiator initiator, List<DiscoveredTarget> targets, EtherdAttachment.Settings settings, Path statusDir)
            throws IOException {
        List<AoeDevice> devices = new ArrayList<>();
        EtherdAttachment attachment = null;
        try {
            Map<AoeAddress, BlockBackend> backends = new LinkedHashMap<>();
            for (DiscoveredTarget target : targets) {
                AoeDevice device = initiator.open(target);
                devices.add(device);
                backends.put(device.address(), new AoeBlockBackend(device));
            }
            attachment = EtherdAttachment.attach(backends, settings);
            List<Served> served = new ArrayList<>();
            for (AoeDevice device : devices) {
                served.add(new Served(attachment.device(device.address()).orElseThrow(), device));
            }
            AoeEtherd etherd = new AoeEtherd(attachment, List.copyOf(served), statusDir);
            etherd.refresh();
            etherd.refresher.start();
            return etherd;
        } catch (IOException | RuntimeException e) {
            if (attachment != null) {
                try {
                    attachment.close();
                } catch (IOException | RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            devices.forEach(AoeDevice::close);
            throw e;
        }
    }

    public List<Served> served() {
        return served;
    }

    /** Rewrites the status file of each device whose state changed; removes those detached from outside. */
    private synchronized void refresh() throws IOException {
        if (closed) {
            return;
        }
        for (Served s : served) {
            EtherdStatus before = published.get(s);
            if (!stillAttached(s)) {
                if (before != null) {
                    EtherdStatusFiles.remove(statusDir, before);
                    published.remove(s);
                }
                continue;
            }
            EtherdStatus now = statusOf(s);
            if (!now.equals(before)) {
                EtherdStatusFiles.write(statusDir, now);
                published.put(s, now);
                if (before != null && !before.state().equals(now.state())) {
                    LOG.log(Level.WARNING, s.attached().name() + " is " + now.state() + " (paths: " + String.join(" ", now.paths()) + ")");
                }
            }
        }
    }

    /** A {@code detach eS.L} from another process unbinds the loop; this process then serves it no more. */
    private static boolean stillAttached(Served s) throws IOException {
        return s.attached().loop().attachedName().equals(Optional.of(s.attached().file().toString()));
    }

    private static EtherdStatus statusOf(Served s) {
        AoeDevice device = s.device();
        List<PathStats> paths = device.stats().paths();
        boolean up = paths.stream().anyMatch(PathStats::up);
        return new EtherdStatus(s.attached().name(), ProcessHandle.current().pid(), s.attached().node(), s.attached().loop().device(),
                device.sectors(), paths.stream().map(PathStats::link).distinct().toList(),
                device.sectorsPerFrame() * AoeConstants.SECTOR_SIZE, up ? "up" : "down",
                paths.stream().map(p -> p.link() + "->" + p.target() + (p.up() ? "" : "(down)")).toList());
    }

    private void refreshLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(REFRESH.toMillis());
                refresh();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot update the status files in " + statusDir + ": " + e.getMessage());
            }
        }
    }

    /**
     * Detaches every device (nodes, loops, FUSE mount), removes the status files and closes the
     * devices; idempotent. Errors are collected, not stopping the rest.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        refresher.interrupt();
        IOException failure = null;
        try {
            attachment.close();
        } catch (IOException e) {
            failure = e;
        }
        synchronized (this) {
            for (EtherdStatus status : published.values()) {
                try {
                    EtherdStatusFiles.remove(statusDir, status);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            published.clear();
        }
        served.forEach(s -> s.device().close());
        if (failure != null) {
            throw failure;
        }
    }
}
