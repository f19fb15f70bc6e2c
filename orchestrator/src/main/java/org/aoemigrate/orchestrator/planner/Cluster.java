package org.aoemigrate.orchestrator.planner;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One observation of the cluster: every host, every guest, how to tell which CPUs run which
 * guests, and when it was observed (the hold time counts back from then).
 */
public record Cluster(List<ObservedHost> hosts, List<ObservedGuest> guests, CpuCompatibility cpuCompatibility,
        Instant observedAt) {

    public Cluster {
        hosts = List.copyOf(hosts);
        guests = List.copyOf(guests);
        Objects.requireNonNull(cpuCompatibility, "cpuCompatibility");
        Objects.requireNonNull(observedAt, "observedAt");
        Set<String> hostNames = new HashSet<>();
        for (ObservedHost host : hosts) {
            if (!hostNames.add(host.name())) {
                throw new IllegalArgumentException("host " + host.name() + " is observed twice");
            }
        }
        Set<String> guestNames = new HashSet<>();
        for (ObservedGuest guest : guests) {
            if (!guestNames.add(guest.name())) {
                throw new IllegalArgumentException("guest " + guest.name() + " is observed twice (on two hosts, or twice on one)");
            }
            if (!hostNames.contains(guest.host())) {
                throw new IllegalArgumentException("guest " + guest.name() + " runs on " + guest.host() + ", which is not among the observed hosts");
            }
        }
    }
}
