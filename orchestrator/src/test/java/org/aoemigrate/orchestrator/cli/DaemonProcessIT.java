package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aoemigrate daemon} as its own process, as an operator runs it: it answers on its socket
 * (0600), reaches libvirt (the test driver), refuses a second daemon on the same state, and stops
 * cleanly on SIGTERM (exit 143, socket removed). No exports, so no raw sockets and no root needed;
 * libvirt's client library is.
 */
class DaemonProcessIT {

    @TempDir
    Path dir;

    @Test
    void theDaemonServesItsSocketAndStopsCleanlyOnSigterm() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0")) || Files.exists(Path.of("/usr/lib64/libvirt.so.0")),
                "libvirt's client library is missing (scripts/install-deps.sh installs it)");
        Path config = dir.resolve("inventory.yaml");
        Path state = dir.resolve("state");
        Files.writeString(config, """
                hosts:
                  hostT: {libvirtUri: 'test:///default', exec: 'true', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0a'}]}
                storage:
                  stateDir: '%s'
                  interfaces: [{interface: st0, mac: '02:00:00:00:01:01'}]
                exports: {}
                """.formatted(state));
        Path log = dir.resolve("daemon.log");
        Process daemon = start(config, log);
        try {
            Path socket = state.resolve("api/aoemigrate.sock");
            awaitLine(daemon, log, "aoemigrate daemon: serving");
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            StringWriter out = new StringWriter();
            int status = AoemigrateCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "--config", config.toString(), "--json", "status");
            assertThat(status).isZero();
            JsonNode host = ApiJson.MAPPER.readTree(out.toString()).path("hosts").get(0);
            assertThat(host.path("name").asText()).isEqualTo("hostT");
            assertThat(host.path("reachable").asBoolean()).as(host.toString()).isTrue();
            assertThat(host.path("guests").get(0).path("name").asText()).isEqualTo("test");

            Path secondLog = dir.resolve("second.log");
            Process second = start(config, secondLog);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(ExitStatus.CONFIG.code());
            assertThat(Files.readString(secondLog)).contains("another aoemigrate daemon already listens on " + socket);

            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isEqualTo(143);
            assertThat(Files.readString(log)).contains("aoemigrate daemon: stopped");
            assertThat(socket).doesNotExist();
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static Process start(Path config, Path log) throws Exception {
        return new ProcessBuilder(BuiltJar.java(), "-jar",
                BuiltJar.aoemigrate().toString(), "daemon", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitLine(Process p, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(line)) {
            assertThat(p.isAlive()).as("the daemon exited: " + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("no '" + line + "' within 60 s: " + Files.readString(log)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

}
