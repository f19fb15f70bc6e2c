package org.aoemigrate.aoe.initiator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One discovery: a Query Config read broadcast on every interface (as Linux does on a write to
 * {@code /dev/etherd/discover}), and the answers collected for a while. The query goes out
 * three times, spread over the wait, so a lost frame or two does not hide a target.
 */
final class DiscoveryRound implements ReplySink {

    private static final int QUERIES = 3;

    private record PathKey(LinkPort link, MacAddress target) {
    }

    private final TagTable tags;
    private final List<LinkPort> links;
    private final AoeAddress query;
    private final Map<AoeAddress, Map<PathKey, ConfigMessage>> answers = new TreeMap<>();

    /** {@code query} may use the broadcast shelf and slot; {@link AoeAddress#BROADCAST} finds everything. */
    DiscoveryRound(TagTable tags, List<LinkPort> links, AoeAddress query) {
        this.tags = tags;
        this.links = links;
        this.query = query;
    }

    List<DiscoveredTarget> run(Duration wait) throws IOException {
        return run(wait, found -> false, Duration.ZERO);
    }

    /**
     * As {@link #run(Duration)}, but ends {@code grace} after the answers so far first satisfy
     * {@code enough}, instead of at the end of {@code wait}: a caller that knows which answers to
     * expect need not sit out the whole wait once they are in, and still hears, for {@code grace},
     * anything answering just after them.
     */
    List<DiscoveredTarget> run(Duration wait, Predicate<List<DiscoveredTarget>> enough, Duration grace) throws IOException {
        List<Exchange> exchanges = new ArrayList<>();
        try {
            for (LinkPort link : links) {
                Exchange ex = tags.acquire(this);
                if (ex == null) {
                    throw new AoeException("every AoE tag is in flight; discovery cannot run until requests finish");
                }
                exchanges.add(ex);
            }
            long start = System.nanoTime();
            long step = wait.toNanos() / QUERIES;
            long end = start + wait.toNanos();
            for (int i = 0; i < QUERIES && System.nanoTime() < end; i++) {
                broadcast(exchanges);
                long next = i < QUERIES - 1 ? start + (i + 1) * step : end;
                long enoughAt = awaitEnough(next, enough);
                if (enoughAt != 0) {
                    sleep(Math.min(end, enoughAt + grace.toNanos()) - System.nanoTime());
                    break;
                }
            }
        } finally {
            synchronized (this) {
                exchanges.forEach(tags::release);
            }
        }
        return results();
    }

    /**
     * Waits until {@code deadline} (System.nanoTime) or until the answers satisfy {@code enough}:
     * the time they did, or 0 if they did not by the deadline.
     */
    private synchronized long awaitEnough(long deadline, Predicate<List<DiscoveredTarget>> enough) throws IOException {
        while (true) {
            if (!answers.isEmpty() && enough.test(results())) {
                return System.nanoTime();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            try {
                wait(Math.max(1, left / 1_000_000), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AoeException("discovery was interrupted");
            }
        }
    }

    private void broadcast(List<Exchange> exchanges) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(AoeConstants.MIN_FRAME);
        for (int i = 0; i < links.size(); i++) {
            LinkPort link = links.get(i);
            int tag;
            synchronized (this) {
                tag = tags.nextTag(exchanges.get(i));
            }
            AoeHeader header = AoeHeader.request(MacAddress.BROADCAST, link.mac(), query.shelf(), query.slot(),
                    AoeCommand.QUERY_CONFIG, tag);
            frame.clear();
            AoeCodec.encode(ConfigMessage.query(header, ConfigSubcommand.READ, null), frame);
            frame.flip();
            try {
                link.send(frame);
            } catch (IOException e) {
                throw new AoeException("cannot send the discovery query on " + link.name() + ": " + e.getMessage()
                        + "; check that the interface exists and is up", e);
            }
        }
    }

    @Override
    public synchronized void onReply(Exchange exchange, int tag, ByteBuffer frame, LinkPort link) {
        if (exchange.sink != this || !tags.owns(exchange, tag)) {
            return;
        }
        AoeMessage message;
        try {
            message = AoeCodec.decode(frame);
        } catch (AoeProtocolException e) {
            return; // not a Query Config answer we can read: not a target to report
        }
        AoeHeader h = message.header();
        AoeAddress from = new AoeAddress(h.shelf(), h.slot());
        // Linux rejects config answers from the broadcast shelf or slot: no device lives there
        if (!(message instanceof ConfigMessage config) || h.error() || !from.isUnicast()
                || !matchesQuery(from)) {
            return;
        }
        answers.computeIfAbsent(from, a -> new LinkedHashMap<>()).put(new PathKey(link, h.source()), config);
        notifyAll();
    }

    private boolean matchesQuery(AoeAddress from) {
        return (query.shelf() == AoeConstants.BROADCAST_SHELF || query.shelf() == from.shelf())
                && (query.slot() == AoeConstants.BROADCAST_SLOT || query.slot() == from.slot());
    }

    private synchronized List<DiscoveredTarget> results() throws IOException {
        List<DiscoveredTarget> found = new ArrayList<>();
        for (Map.Entry<AoeAddress, Map<PathKey, ConfigMessage>> device : answers.entrySet()) {
            List<TargetPath> paths = new ArrayList<>();
            ConfigMessage first = null;
            for (Map.Entry<PathKey, ConfigMessage> e : device.getValue().entrySet()) {
                ConfigMessage c = e.getValue();
                int mtuSectors = AoeConstants.sectorsPerFrame(e.getKey().link().mtu());
                paths.add(new TargetPath(e.getKey().link().name(), e.getKey().target(), c.bufferCount(),
                        Math.min(c.effectiveSectorsPerFrame(), mtuSectors)));
                if (first == null) {
                    first = c;
                }
            }
            paths.sort(Comparator.comparing(TargetPath::link).thenComparing(TargetPath::target));
            found.add(new DiscoveredTarget(device.getKey(), paths,
                    paths.stream().mapToInt(TargetPath::bufferCount).min().orElseThrow(),
                    paths.stream().mapToInt(TargetPath::sectorsPerFrame).min().orElseThrow(),
                    first.firmwareVersion(), first.configString()));
        }
        return found;
    }

    private static void sleep(long nanos) throws AoeException {
        try {
            Thread.sleep(Math.max(0, nanos / 1_000_000), (int) Math.max(0, nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AoeException("discovery was interrupted");
        }
    }
}
