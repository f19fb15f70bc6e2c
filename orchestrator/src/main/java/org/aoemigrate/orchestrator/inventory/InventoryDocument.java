package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The inventory file exactly as written: what Jackson binds, before defaults and cross-checks.
 * Boxed types so that a missing key reads as null and can be reported as missing.
 */
record InventoryDocument(Map<String, HostDoc> hosts, StorageDoc storage, Map<String, ExportDoc> exports,
        PolicyDoc policy, RebalanceDoc rebalance) {

    record HostDoc(String libvirtUri, String migrationUri, JsonNode exec, List<PortDoc> aoe, Boolean maintenance,
            Long guestMemoryMiB) {
    }

    record PortDoc(@JsonProperty("interface") String name, MacAddress mac) {
    }

    record StorageDoc(List<PortDoc> interfaces, String stateDir) {
    }

    record ExportDoc(Integer shelf, Integer slot, String image, IoMode ioMode, List<String> hosts) {
    }

    record PolicyDoc(MigrationDoc migration, CutoverMode cutover, LimitsDoc limits) {
    }

    record MigrationDoc(Long bandwidthMiBps, Long maxDowntimeMs, List<Long> downtimeStepsMs, Boolean autoConverge,
            Boolean postCopy, Long postCopyBandwidthMiBps, Long timeoutSeconds, TimeoutAction onTimeout) {
    }

    record RebalanceDoc(ScheduleDoc schedule, Long holdMinutes, List<String> pinned, Map<String, List<String>> antiAffinity) {
    }

    record ScheduleDoc(Long intervalMinutes, String window, Integer maxMoves) {
    }

    record LimitsDoc(Integer global, Integer perHostOutbound, Integer perHostInbound) {
    }
}
