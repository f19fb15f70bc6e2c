package org.aoemigrate.aoe.initiator.etherdit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.aoemigrate.aoe.initiator.cli.AoeInitiatorCommand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator gets from attach and detach before anything is attached: help, refusals, exit statuses. */
class AttachDetachCommandTest {

    @TempDir
    Path temp;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AoeInitiatorCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void helpListsBothCommandsAndAttachsOptions() {
        assertThat(run("--help").out()).contains("attach").contains("detach");
        assertThat(run("attach", "--help").out()).contains("--dir").contains("--run-dir").contains("--dead-secs").contains("default: 180")
                .contains("/dev/etherd");
    }

    @Test
    void aBroadcastNameIsAUsageError() {
        Run r = run("attach", "-i", "nosuch0", "--dir", temp.resolve("dev").toString(), "--run-dir", temp.toString(), "e1.255");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("e1.255 is a broadcast address");
    }

    @Test
    void aDeadTimeThatIsNotPositiveIsAUsageError() {
        Run r = run("attach", "-i", "nosuch0", "--dead-secs", "0", "e1.1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--dead-secs");
    }

    @Test
    void detachingADeviceNobodyServesIsNotFound() {
        Run r = run("detach", "--dir", temp.resolve("dev").toString(), "--run-dir", temp.toString(), "e9.9");
        assertThat(r.status()).isEqualTo(9);
        assertThat(r.err()).contains("not attached here").contains("e9.9");
    }
}
