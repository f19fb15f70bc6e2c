package org.aoemigrate.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibvirtErrorsTest {

    @ParameterizedTest(name = "libvirt error {0} is {1}")
    @CsvSource({
        "42, NO_DOMAIN",     // VIR_ERR_NO_DOMAIN
        "78, ABORTED",       // VIR_ERR_OPERATION_ABORTED: "job 'migration out' canceled by client"
        "3, UNSUPPORTED",    // VIR_ERR_NO_SUPPORT: "this function is not supported by the connection driver"
        "74, UNSUPPORTED",   // VIR_ERR_ARGUMENT_UNSUPPORTED: "p2p migration is not supported by the source host"
        "5, UNREACHABLE",    // VIR_ERR_NO_CONNECT
        "6, UNREACHABLE",    // VIR_ERR_INVALID_CONN
        "81, FAILED",        // VIR_ERR_MIGRATE_UNSAFE: past 0.5.2's shifted range, read right since 0.5.3
        "55, FAILED",        // VIR_ERR_OPERATION_INVALID
    })
    void mapsTheRawCodeOnALiveConnection(int code, Kind kind) {
        assertThat(LibvirtErrors.of(code, "message", "hostA", "migrate vm1", true, null).kind()).isEqualTo(kind);
    }

    @ParameterizedTest(name = "libvirt error {0} on a dead connection is UNREACHABLE")
    @CsvSource({"38", "1", "42"})
    void anyErrorOnADeadConnectionIsUnreachable(int code) {
        assertThat(LibvirtErrors.of(code, "Cannot recv data: Connection reset by peer", "hostA", "read vm1", false, null)
                .kind()).isEqualTo(Kind.UNREACHABLE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "78 | hostA: cannot migrate vm1 to qemu+tcp://10.211.0.12/system: operation aborted: job 'migration out' canceled by client (libvirt error 78, VIR_ERR_OPERATION_ABORTED)",
        "9999 | hostA: cannot migrate vm1 to qemu+tcp://10.211.0.12/system: operation aborted: job 'migration out' canceled by client (libvirt error 9999, unknown to libvirt-java)",
    })
    void theMessageNamesHostActionLibvirtsWordsAndTheCode(int code, String expected) {
        HypervisorException e = LibvirtErrors.of(code, "operation aborted: job 'migration out' canceled by client", "hostA",
                "migrate vm1 to qemu+tcp://10.211.0.12/system", true, null);

        assertThat(e).hasMessage(expected);
        assertThat(e.host()).isEqualTo("hostA");
    }
}
