package org.aoemigrate.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.orchestrator.api.AbortReport;
import org.aoemigrate.orchestrator.api.ApiClient;
import org.aoemigrate.orchestrator.api.ApiError;
import org.aoemigrate.orchestrator.api.ApiException;
import org.aoemigrate.orchestrator.api.ApiLine;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.ApiServer;
import org.aoemigrate.orchestrator.api.CheckReport;
import org.aoemigrate.orchestrator.api.DaemonUnavailableException;
import org.aoemigrate.orchestrator.api.ExportReport;
import org.aoemigrate.orchestrator.api.ExportsReport;
import org.aoemigrate.orchestrator.api.HistoryReport;
import org.aoemigrate.orchestrator.api.MigrationReport;
import org.aoemigrate.orchestrator.api.ProgressReport;
import org.aoemigrate.orchestrator.api.StatusReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local API end to end: a client over the real unix socket, the daemon over the fake cluster and the hub. */
class DaemonApiTest {

    @TempDir
    Path dir;

    TestDaemon d;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        d = TestDaemon.start(dir);
        client = new ApiClient(d.socket());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private MigrationReport migrate(String guest, String host, List<ProgressReport> events) throws Exception {
        return client.call(ApiRequest.migrate(guest, host, null), events::add).as(MigrationReport.class);
    }

    /** Starts a migration on another thread and returns once its memory copy is under way (its first progress event). */
    private CompletableFuture<MigrationReport> migrateInBackgroundUntilCopying(String guest, String host, List<ProgressReport> events)
            throws InterruptedException {
        CountDownLatch copying = new CountDownLatch(1);
        CompletableFuture<MigrationReport> move = CompletableFuture.supplyAsync(() -> {
            try {
                return client.call(ApiRequest.migrate(guest, host, null), e -> {
                    events.add(e);
                    if (e.kind().equals(ProgressReport.PROGRESS)) {
                        copying.countDown();
                    }
                }).as(MigrationReport.class);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(copying.await(20, TimeUnit.SECONDS)).as("the copy of %s to %s started", guest, host).isTrue();
        return move;
    }

    @Test
    void migrateStreamsProgressThenTheResultAndLeavesOnlyTheDestinationWriting() throws Exception {
        List<ProgressReport> events = new CopyOnWriteArrayList<>();
        MigrationReport r = migrate("vm1", "hostB", events);

        assertThat(r.outcome()).isEqualTo(MigrationReport.SUCCEEDED);
        assertThat(r.source()).isEqualTo("hostA");
        assertThat(r.destination()).isEqualTo("hostB");
        assertThat(r.bytes()).isGreaterThanOrEqualTo(512L << 20);
        assertThat(r.totalMs()).isPositive();
        assertThat(r.id()).startsWith("m-");
        assertThat(events).extracting(ProgressReport::kind).startsWith("started").contains("reserved", "progress",
                "cutover", "verified").endsWith("finished");
        assertThat(events).filteredOn(e -> e.kind().equals("progress")).allSatisfy(e -> {
            assertThat(e.job()).isNotNull();
            assertThat(e.id()).isEqualTo(r.id());
        });
        assertThat(d.cluster.activeOn("vm1")).containsExactly("hostB");
        ExportReport e10 = exports().get(0);
        assertThat(e10.reservation()).containsExactly(TestDaemon.HOST_B_MAC.toString());
        assertThat(e10.reservedHosts()).containsExactly("hostB");
        // persisted before the engine went on: a restarted target comes back with it
        assertThat(Files.readString(d.stateDir.resolve("exports/e1.0.json"))).contains(TestDaemon.HOST_B_MAC.toString())
                .doesNotContain(TestDaemon.HOST_A_MAC.toString());
    }

    @Test
    void theTargetServesEachExportWithItsIdInTheConfigString() throws Exception {
        assertThat(exports()).extracting(ExportReport::address, ExportReport::config, ExportReport::served, ExportReport::sizeBytes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e1.0", "id=vm1-disk", true, 1L << 20),
                        org.assertj.core.groups.Tuple.tuple("e1.1", "id=vm2-disk", true, 1L << 20));
        // and on the wire, as aoe-initiator check --expect-id reads it
        MemoryHubPort initiator = d.hub.port("aoe0", TestDaemon.HOST_B_MAC, 1500);
        initiator.send(AoeCodec.toFrame(ConfigMessage.discover(TestDaemon.HOST_B_MAC, 0x8000_0001)));
        ByteBuffer b = ByteBuffer.allocate(9000);
        List<String> seen = new CopyOnWriteArrayList<>();
        while (seen.size() < 2 && initiator.receive(b, 2000)) {
            ConfigMessage m = (ConfigMessage) AoeCodec.decode(b);
            seen.add("e" + m.header().shelf() + "." + m.header().slot() + " "
                    + new String(m.configString(), StandardCharsets.US_ASCII));
        }
        assertThat(seen).containsExactlyInAnyOrder("e1.0 id=vm1-disk", "e1.1 id=vm2-disk");
    }

    @Test
    void checkRunsPreflightAndChangesNothing() throws Exception {
        CheckReport ok = client.call(ApiRequest.check("vm1", "hostB", null), CheckReport.class);
        CheckReport no = client.call(ApiRequest.check("vm1", "hostC", null), CheckReport.class);

        assertThat(ok.passed()).isTrue();
        assertThat(ok.failedCheck()).isNull();
        assertThat(no.passed()).isFalse();
        assertThat(no.failedCheck()).isEqualTo("memory");
        assertThat(no.reason()).contains("hostC");
        assertThat(d.cluster.activeOn("vm1")).containsExactly("hostA");
        assertThat(exports().get(0).reservation()).isEmpty();
        assertThat(client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class).migrations()).isEmpty();
    }

    @Test
    void statusShowsHostsGuestsExportsAndTheMigrationInFlight() throws Exception {
        List<ProgressReport> events = new CopyOnWriteArrayList<>();
        CompletableFuture<MigrationReport> move = migrateInBackgroundUntilCopying("vm2", "hostB", events);

        StatusReport s = client.call(ApiRequest.of(ApiRequest.Op.STATUS), StatusReport.class);
        assertThat(s.hosts()).extracting(StatusReport.HostStatus::name).containsExactly("hostA", "hostB", "hostC");
        assertThat(s.hosts().get(0).guests()).extracting(StatusReport.GuestStatus::name, StatusReport.GuestStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vm1", "running"),
                        org.assertj.core.groups.Tuple.tuple("vm2", "running"));
        assertThat(s.exports()).hasSize(2);
        assertThat(s.migrations()).singleElement().satisfies(m -> {
            assertThat(m.guest()).isEqualTo("vm2");
            assertThat(m.source()).isEqualTo("hostA");
            assertThat(m.destination()).isEqualTo("hostB");
        });
        client.call(ApiRequest.abort("vm2"), AbortReport.class);
        move.get(30, TimeUnit.SECONDS);
    }

    @Test
    void abortEndsARunningMigrationWithTheGuestOnItsSource() throws Exception {
        List<ProgressReport> events = new CopyOnWriteArrayList<>();
        CompletableFuture<MigrationReport> move = migrateInBackgroundUntilCopying("vm2", "hostB", events);
        String id = events.get(0).id();

        AbortReport a = client.call(ApiRequest.abort(id), AbortReport.class);
        MigrationReport r = move.get(30, TimeUnit.SECONDS);

        assertThat(a.requested()).isTrue();
        assertThat(r.outcome()).isEqualTo(MigrationReport.ABORTED);
        assertThat(r.reason()).contains("aborted by the operator");
        assertThat(d.cluster.activeOn("vm2")).containsExactly("hostA");
        assertThat(exports().get(1).reservedHosts()).containsExactly("hostA");
        HistoryReport h = client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class);
        assertThat(h.migrations()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.lastStep()).isEqualTo("aborted");
            assertThat(m.open()).isFalse();
        });
    }

    @Test
    void aStoppingDaemonAbortsTheMigrationInFlightAndTellsItsClient() throws Exception {
        List<ProgressReport> events = new CopyOnWriteArrayList<>();
        CompletableFuture<MigrationReport> move = migrateInBackgroundUntilCopying("vm2", "hostB", events);

        d.close();
        MigrationReport r = move.get(30, TimeUnit.SECONDS);

        assertThat(r.outcome()).isEqualTo(MigrationReport.ABORTED);
        assertThat(r.reason()).contains("the daemon is stopping");
        assertThat(d.cluster.activeOn("vm2")).containsExactly("hostA");
        assertThat(d.socket()).doesNotExist();
        assertThat(d.log.toString()).contains("aborting 1 migration(s) in flight", "stopped; exports flushed and closed");
    }

    @Test
    void aRestartedDaemonServesTheReservationAndIdentityItHadBefore() throws Exception {
        assertThat(migrate("vm1", "hostB", new CopyOnWriteArrayList<>()).outcome()).isEqualTo(MigrationReport.SUCCEEDED);
        String identity = Files.readString(d.stateDir.resolve("exports/e1.0.json"));
        d.close();

        d = TestDaemon.start(dir);
        client = new ApiClient(d.socket());

        ExportReport e10 = exports().get(0);
        assertThat(e10.reservedHosts()).containsExactly("hostB");
        assertThat(e10.config()).isEqualTo("id=vm1-disk");
        assertThat(Files.readString(d.stateDir.resolve("exports/e1.0.json"))).isEqualTo(identity);
        assertThat(client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class).migrations()).hasSize(1);
    }

    @Test
    void abortOfNoRunningMigrationIsNotFound() {
        assertThatThrownBy(() -> client.call(ApiRequest.abort("m-00000000"), AbortReport.class))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiError.NOT_FOUND))
                .hasMessageContaining("m-00000000");
    }

    @Test
    void historyHasOneItemPerMigrationInOrder() throws Exception {
        MigrationReport there = migrate("vm1", "hostB", new CopyOnWriteArrayList<>());
        MigrationReport back = migrate("vm1", "hostA", new CopyOnWriteArrayList<>());
        MigrationReport refused = migrate("vm1", "hostZ", new CopyOnWriteArrayList<>());

        assertThat(refused.outcome()).isEqualTo(MigrationReport.REFUSED);
        assertThat(refused.failedCheck()).isEqualTo("destination");
        HistoryReport h = client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class);
        assertThat(h.migrations()).extracting(HistoryReport.Item::id, HistoryReport.Item::source,
                HistoryReport.Item::destination, HistoryReport.Item::lastStep).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(there.id(), "hostA", "hostB", "finished"),
                        org.assertj.core.groups.Tuple.tuple(back.id(), "hostB", "hostA", "finished"),
                        org.assertj.core.groups.Tuple.tuple(refused.id(), null, "hostZ", "refused"));
    }

    @Test
    void aRequestTheDaemonCannotReadGetsABadRequestLine() throws Exception {
        assertThat(raw("{\"op\":\"migrate\",\"guest\":\"vm1\"}")).startsWith("{\"error\":{\"code\":\"bad_request\"")
                .contains("'guest' and 'destination'");
        assertThat(raw("{\"op\":\"teleport\"}")).startsWith("{\"error\":{\"code\":\"bad_request\"").contains("teleport");
        assertThat(raw("hello")).startsWith("{\"error\":{\"code\":\"bad_request\"");
    }

    @Test
    void theSocketIsOwnerOnlyInAPrivateDirectory() throws Exception {
        assertThat(Files.getPosixFilePermissions(d.socket())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(d.socket().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(d.socket()).isEqualTo(d.stateDir.resolve("api/aoemigrate.sock"));
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefusedAndAStoppedOneLeavesNoSocket() throws Exception {
        assertThatThrownBy(() -> ApiServer.start(d.socket(), (r, e) -> null))
                .hasMessageContaining("another aoemigrate daemon already listens on " + d.socket());
        d.close();
        assertThat(d.socket()).doesNotExist();
        assertThatThrownBy(() -> client.call(ApiRequest.of(ApiRequest.Op.STATUS), StatusReport.class))
                .isInstanceOf(DaemonUnavailableException.class)
                .hasMessageContaining("no aoemigrate daemon is running")
                .hasMessageContaining("aoemigrate daemon --config");
    }

    @Test
    void aSocketLeftByADeadDaemonIsReplaced() throws Exception {
        Path socket = dir.resolve("other/api.sock");
        Files.createDirectories(socket.getParent());
        try (var dead = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (ApiServer s = ApiServer.start(socket, (r, e) -> new AbortReport("x", true))) {
            assertThat(new ApiClient(socket).call(ApiRequest.abort("x"), AbortReport.class).id()).isEqualTo("x");
        }
    }

    private List<ExportReport> exports() throws Exception {
        return client.call(ApiRequest.of(ApiRequest.Op.EXPORTS), ExportsReport.class).exports();
    }

    /** Sends one raw line and returns the first line of the answer. */
    private String raw(String line) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            String answer = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(ApiLine.parse(answer).kind()).isEqualTo(ApiLine.Kind.ERROR);
            return answer;
        }
    }
}
