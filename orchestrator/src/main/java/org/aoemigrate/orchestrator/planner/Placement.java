package org.aoemigrate.orchestrator.planner;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the search changes it: which guest is where and what each host carries, in
 * arrays indexed by host and guest number, with the two spreads of the score kept up to date so
 * that weighing a move is O(1).
 *
 * <p>Only hosts that take guests count in the score: not those in maintenance, nor the host being
 * drained.
 */
final class Placement {

    private final Cluster cluster;
    private final PlannerSettings settings;

    private final int hostCount;
    private final double[] memoryCapacity;
    private final double[] cpus;
    private final double[] memoryLimit;
    private final double[] coreLimit;
    private final double[] vcpuLimit;
    private final boolean[] takesGuests;
    private final int[] hostCpuKey;
    private final double[] memoryUsed;
    private final double[] coresUsed;
    private final double[] vcpusUsed;
    private final int[][] residents;
    private final int[] residentCount;

    private final int[] guestHost;
    private final double[] guestMemory;
    private final double[] guestCores;
    private final double[] guestVcpus;
    private final int[] guestCpuKey;
    private final int[][] guestGroups;

    /** Guests per (host, anti-affinity group), keyed by {@link #groupKey}. */
    private final Map<Long, Integer> groupMembers = new HashMap<>();
    private final String[] groupNames;
    /** The caller's CPU answers per (guest key, host key): 0 not asked yet, 1 yes, 2 no. */
    private final byte[][] cpuAnswers;
    private final String[] cpuKeys;

    private final Spread memorySpread = new Spread();
    private final Spread cpuSpread = new Spread();

    Placement(Cluster cluster, PlannerSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
        List<ObservedHost> hosts = cluster.hosts();
        List<ObservedGuest> guests = cluster.guests();
        hostCount = hosts.size();
        memoryCapacity = new double[hostCount];
        cpus = new double[hostCount];
        memoryLimit = new double[hostCount];
        coreLimit = new double[hostCount];
        vcpuLimit = new double[hostCount];
        takesGuests = new boolean[hostCount];
        hostCpuKey = new int[hostCount];
        memoryUsed = new double[hostCount];
        coresUsed = new double[hostCount];
        vcpusUsed = new double[hostCount];
        residents = new int[hostCount][];
        residentCount = new int[hostCount];

        Map<String, Integer> keyIndex = new HashMap<>();
        Map<String, Integer> hostIndex = new HashMap<>();
        for (int h = 0; h < hostCount; h++) {
            ObservedHost host = hosts.get(h);
            hostIndex.put(host.name(), h);
            memoryCapacity[h] = host.memoryBytes();
            cpus[h] = host.cpus();
            memoryLimit[h] = (1 - settings.memoryHeadroom()) * host.memoryBytes();
            coreLimit[h] = (1 - settings.cpuHeadroom()) * host.cpus();
            vcpuLimit[h] = settings.maxVcpusPerCpu() * host.cpus();
            takesGuests[h] = !host.maintenance();
            hostCpuKey[h] = keyIndex.computeIfAbsent(host.cpuKey(), k -> keyIndex.size());
            residents[h] = new int[4];
        }

        int guestCount = guests.size();
        guestHost = new int[guestCount];
        guestMemory = new double[guestCount];
        guestCores = new double[guestCount];
        guestVcpus = new double[guestCount];
        guestCpuKey = new int[guestCount];
        guestGroups = new int[guestCount][];
        Map<String, Integer> groupIndex = new HashMap<>();
        for (int g = 0; g < guestCount; g++) {
            ObservedGuest guest = guests.get(g);
            guestMemory[g] = guest.memoryBytes();
            guestCores[g] = guest.cpuCores();
            guestVcpus[g] = guest.vcpus();
            guestCpuKey[g] = keyIndex.computeIfAbsent(guest.cpuKey(), k -> keyIndex.size());
            guestGroups[g] = guest.antiAffinity().stream().sorted()
                    .mapToInt(name -> groupIndex.computeIfAbsent(name, k -> groupIndex.size())).toArray();
            place(g, hostIndex.get(guest.host()));
        }
        groupNames = new String[groupIndex.size()];
        groupIndex.forEach((name, index) -> groupNames[index] = name);
        cpuKeys = new String[keyIndex.size()];
        keyIndex.forEach((key, index) -> cpuKeys[index] = key);
        cpuAnswers = new byte[cpuKeys.length][cpuKeys.length];
        recomputeSpreads();
    }

    int hostCount() {
        return hostCount;
    }

    ObservedHost host(int h) {
        return cluster.hosts().get(h);
    }

    ObservedGuest guest(int g) {
        return cluster.guests().get(g);
    }

    int hostOf(int g) {
        return guestHost[g];
    }

    boolean takesGuests(int h) {
        return takesGuests[h];
    }

    /** The guests on host {@code h} now, as a copy the caller may keep while moving them. */
    int[] residents(int h) {
        return Arrays.copyOf(residents[h], residentCount[h]);
    }

    int residentCount(int h) {
        return residentCount[h];
    }

    int resident(int h, int i) {
        return residents[h][i];
    }

    /** Leaves host {@code h} out of the score and takes nothing more onto it (it is being drained). */
    void stopTaking(int h) {
        takesGuests[h] = false;
        recomputeSpreads();
    }

    double memoryUse(int h) {
        return memoryUsed[h] / memoryCapacity[h];
    }

    double cpuUse(int h) {
        return coresUsed[h] / cpus[h];
    }

    HostUse use(int h) {
        return new HostUse(memoryUse(h), cpuUse(h));
    }

    double memoryDeviation() {
        return memorySpread.deviation();
    }

    double cpuDeviation() {
        return cpuSpread.deviation();
    }

    double score() {
        return settings.memoryWeight() * memorySpread.deviation() + settings.cpuWeight() * cpuSpread.deviation();
    }

    /** The memory deviation if guest {@code g} moved to host {@code to}. O(1). */
    double memoryDeviationAfter(int g, int to) {
        int from = guestHost[g];
        double oldFrom = 0;
        double newFrom = 0;
        if (takesGuests[from]) {
            oldFrom = memoryUsed[from] / memoryCapacity[from];
            newFrom = (memoryUsed[from] - guestMemory[g]) / memoryCapacity[from];
        }
        return memorySpread.deviationAfter(oldFrom, newFrom,
                memoryUsed[to] / memoryCapacity[to], (memoryUsed[to] + guestMemory[g]) / memoryCapacity[to]);
    }

    /** The CPU deviation if guest {@code g} moved to host {@code to}. O(1). */
    double cpuDeviationAfter(int g, int to) {
        return cpuDeviationAfter(g, to, cpuUse(to));
    }

    /**
     * The CPU deviation if guest {@code g} moved to host {@code to} and that host's CPU use were
     * {@code toUse}: with a use no higher than the host's, a lower bound of the real one.
     */
    double cpuDeviationAfter(int g, int to, double toUse) {
        int from = guestHost[g];
        double oldFrom = 0;
        double newFrom = 0;
        if (takesGuests[from]) {
            oldFrom = coresUsed[from] / cpus[from];
            newFrom = (coresUsed[from] - guestCores[g]) / cpus[from];
        }
        return cpuSpread.deviationAfter(oldFrom, newFrom, toUse, toUse + guestCores[g] / cpus[to]);
    }

    /** The score if guest {@code g} moved to host {@code to}, which must take guests. O(1). */
    double scoreAfter(int g, int to) {
        return settings.memoryWeight() * memoryDeviationAfter(g, to) + settings.cpuWeight() * cpuDeviationAfter(g, to);
    }

    /**
     * Does host {@code to} have room for guest {@code g} within its headroom? The cheap checks,
     * done first for every candidate; {@link #misfit} does them all.
     */
    boolean hasRoom(int g, int to) {
        return memoryUsed[to] + guestMemory[g] <= memoryLimit[to]
                && coresUsed[to] + guestCores[g] <= coreLimit[to]
                && vcpusUsed[to] + guestVcpus[g] <= vcpuLimit[to];
    }

    /** Why host {@code to} cannot take guest {@code g}, or null if it can. */
    Misfit misfit(int g, int to) {
        if (guestHost[g] == to) {
            return Misfit.SAME_HOST;
        }
        if (!takesGuests[to]) {
            return Misfit.TAKES_NO_GUESTS;
        }
        if (!cpuRuns(g, to)) {
            return Misfit.CPU_MODEL;
        }
        if (groupConflict(g, to) != null) {
            return Misfit.ANTI_AFFINITY;
        }
        if (memoryUsed[to] + guestMemory[g] > memoryLimit[to]) {
            return Misfit.MEMORY;
        }
        if (coresUsed[to] + guestCores[g] > coreLimit[to]) {
            return Misfit.CPU_USE;
        }
        if (vcpusUsed[to] + guestVcpus[g] > vcpuLimit[to]) {
            return Misfit.VCPUS;
        }
        return null;
    }

    /** The first of guest {@code g}'s anti-affinity groups that host {@code h} already runs, or null. */
    String groupConflict(int g, int h) {
        for (int group : guestGroups[g]) {
            if (groupMembers.getOrDefault(groupKey(h, group), 0) > 0) {
                return groupNames[group];
            }
        }
        return null;
    }

    /** Memory host {@code h} can still give a guest without eating into its headroom, in bytes. */
    double memoryRoom(int h) {
        return memoryLimit[h] - memoryUsed[h];
    }

    double coreRoom(int h) {
        return coreLimit[h] - coresUsed[h];
    }

    double vcpuRoom(int h) {
        return vcpuLimit[h] - vcpusUsed[h];
    }

    private boolean cpuRuns(int g, int h) {
        int guestKey = guestCpuKey[g];
        int hostKey = hostCpuKey[h];
        byte answer = cpuAnswers[guestKey][hostKey];
        if (answer == 0) {
            answer = cluster.cpuCompatibility().canRun(cpuKeys[guestKey], cpuKeys[hostKey]) ? (byte) 1 : (byte) 2;
            cpuAnswers[guestKey][hostKey] = answer;
        }
        return answer == 1;
    }

    /** Moves guest {@code g} to host {@code to} and returns the move, with what it did to both hosts and the score. */
    Move move(int g, int to, MoveReason reason) {
        int from = guestHost[g];
        HostUse fromBefore = use(from);
        HostUse toBefore = use(to);
        double scoreBefore = score();
        unplace(g);
        place(g, to);
        // from the arrays, not by adding up deltas, so rounding does not creep over many moves
        recomputeSpreads();
        return new Move(guest(g).name(), new HostShift(host(from).name(), fromBefore, use(from)),
                new HostShift(host(to).name(), toBefore, use(to)), scoreBefore, score(), reason);
    }

    private void place(int g, int h) {
        guestHost[g] = h;
        memoryUsed[h] += guestMemory[g];
        coresUsed[h] += guestCores[g];
        vcpusUsed[h] += guestVcpus[g];
        if (residentCount[h] == residents[h].length) {
            residents[h] = Arrays.copyOf(residents[h], residents[h].length * 2);
        }
        residents[h][residentCount[h]++] = g;
        for (int group : guestGroups[g]) {
            groupMembers.merge(groupKey(h, group), 1, Integer::sum);
        }
    }

    private void unplace(int g) {
        int h = guestHost[g];
        memoryUsed[h] -= guestMemory[g];
        coresUsed[h] -= guestCores[g];
        vcpusUsed[h] -= guestVcpus[g];
        int[] list = residents[h];
        for (int i = 0; i < residentCount[h]; i++) {
            if (list[i] == g) {
                list[i] = list[--residentCount[h]];
                break;
            }
        }
        for (int group : guestGroups[g]) {
            groupMembers.merge(groupKey(h, group), -1, Integer::sum);
        }
    }

    private void recomputeSpreads() {
        memorySpread.clear();
        cpuSpread.clear();
        for (int h = 0; h < hostCount; h++) {
            if (takesGuests[h]) {
                memorySpread.add(memoryUse(h));
                cpuSpread.add(cpuUse(h));
            }
        }
    }

    private long groupKey(int h, int group) {
        return (long) group * hostCount + h;
    }
}
