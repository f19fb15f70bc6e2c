package org.aoemigrate.orchestrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The aoemigrate jar this build made, for ITs that run it as its own process (verify runs after package). */
final class BuiltJar {

    private BuiltJar() {
    }

    /** {@code orchestrator-*-cli.jar}, next to the test classes in the build directory. */
    static Path aoemigrate() throws Exception {
        Path buildDir = Path.of(BuiltJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        try (Stream<Path> s = Files.list(buildDir)) {
            return s.filter(p -> p.getFileName().toString().matches("orchestrator-.*-cli\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no orchestrator-*-cli.jar in " + buildDir + "; run mvn verify"));
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
