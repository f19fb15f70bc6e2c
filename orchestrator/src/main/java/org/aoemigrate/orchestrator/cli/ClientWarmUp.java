package org.aoemigrate.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.api.ApiRequest;

/**
 * A head start for a client's request. A fresh JVM spends its first few hundred milliseconds
 * loading and initialising classes, one after the other: picocli's model, then the inventory's
 * YAML, the JSON of the request, the unix socket (whose class seeds a SecureRandom). The last three
 * do not depend on the command line, so a second thread initialises them while picocli builds its
 * model on the main one; on two or more cores the request goes out sooner. Nothing is kept: the
 * real call does the same work again, on classes already loaded, and reports its own errors.
 */
final class ClientWarmUp {

    private ClientWarmUp() {
    }

    static void start() {
        Thread t = new Thread(ClientWarmUp::run, "client-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            new ObjectMapper(new YAMLFactory()).readTree("storage: {stateDir: /}\n");
            ApiJson.MAPPER.writeValueAsString(ApiRequest.migrate("vm", "host", null));
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException | RuntimeException e) {
            // only a head start: the call itself meets and reports any real problem
        }
    }
}
