package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import java.util.List;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.ExportReport;
import org.aoemigrate.orchestrator.api.ExportsReport;
import picocli.CommandLine.Command;

/** {@code exports}: what the daemon's target serves. */
@Command(name = "exports", description = {
    "Lists the inventory's exports as the daemon's target serves them: address, size, config string (id=NAME),"
            + " reservation (who may write), image.",
    "JSON result: exports [name, address, image, served, size_bytes, config, reservation [MAC], reserved_hosts,"
            + " hosts, interfaces].",
})
final class ExportsCommand extends AoemigrateSubcommand {

    @Override
    protected ExitStatus execute() throws Exception {
        ExportsReport r = client().call(ApiRequest.of(ApiRequest.Op.EXPORTS), ExportsReport.class);
        if (json()) {
            printJson(r);
        } else {
            printExports(out(), r.exports());
        }
        return ExitStatus.OK;
    }

    static void printExports(PrintWriter out, List<ExportReport> exports) {
        if (exports.isEmpty()) {
            out.println("  none");
        }
        for (ExportReport e : exports) {
            String reserved = !e.served() ? "NOT SERVED" : e.reservedHosts().isEmpty() ? "unreserved"
                    : "writable by " + String.join(", ", e.reservedHosts());
            out.printf("  %-8s %-16s %-10s %-24s %s  %s%n", e.address(), e.name(),
                    e.sizeBytes() == null ? "-" : Units.bytes(e.sizeBytes()), e.config() == null ? "-" : e.config(),
                    reserved, e.image());
        }
    }
}
