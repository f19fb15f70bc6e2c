package org.aoemigrate.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.api.ApiLine;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.MigrationReport;
import picocli.CommandLine.Mixin;

/**
 * A head start for a client's request. A fresh JVM spends its first few hundred milliseconds
 * loading and initialising classes, one after the other: picocli's model, then the inventory's
 * YAML, the JSON of the request, the unix socket (whose class seeds a SecureRandom). A second
 * thread does what does not depend on the command line while the main one starts picocli; on two
 * or more cores the request goes out sooner. Nothing is kept: the real call does the same work
 * again, on classes already loaded, and reports its own errors.
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
            readAnnotations(AoemigrateCommand.class);
            new ObjectMapper(new YAMLFactory()).readTree("storage: {stateDir: /}\n");
            ApiJson.MAPPER.writeValueAsString(ApiRequest.migrate("vm", "host", null));
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
            readAndPrintAResult();
        } catch (IOException | RuntimeException e) {
            // only a head start: the call itself meets and reports any real problem
        }
    }

    /**
     * Last, the way back: a result read off the socket and printed as {@code --json} prints it. A
     * move's copy leaves this thread the time; without it, the classes that read and pretty-print
     * the result would be initialised after the move has ended, on the time the user waits.
     */
    private static void readAndPrintAResult() {
        MigrationReport report = ApiLine.parse(ApiLine.of(ApiLine.Kind.RESULT, new MigrationReport("m-0", "vm", "a", "b",
                MigrationReport.SUCCEEDED, "", "", "fast", 1, 1, 1, 1, 1)).text()).as(MigrationReport.class);
        Json.print(new PrintWriter(Writer.nullWriter()), report);
    }

    /**
     * First, what picocli needs first: the annotations of the root command and of its mixins. The
     * JVM makes each annotation type's proxy class the first time one is read (a class generated
     * at run time, which no class-data archive holds): about a third of picocli's start, done
     * here while the main thread initialises picocli itself.
     */
    private static void readAnnotations(Class<?> command) {
        command.getAnnotations();
        for (Field field : command.getDeclaredFields()) {
            field.getAnnotations();
            if (field.isAnnotationPresent(Mixin.class)) {
                readAnnotations(field.getType());
            }
        }
    }
}
