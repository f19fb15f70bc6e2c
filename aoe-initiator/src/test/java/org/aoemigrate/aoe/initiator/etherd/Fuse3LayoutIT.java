package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written struct offsets against the installed headers: compiles fuse3-layout.c with gcc
 * (needs gcc and libfuse3-dev, both in scripts/install-deps.sh) and compares every constant of
 * {@link Fuse3Layout} with what the compiler says.
 */
class Fuse3LayoutIT {

    @Test
    void offsetsMatchTheInstalledLibfuse3Headers(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/include/fuse3")), "libfuse3-dev headers are not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        Path source = dir.resolve("fuse3-layout.c");
        try (InputStream in = Fuse3LayoutIT.class.getResourceAsStream("fuse3-layout.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("fuse3-layout");
        run(List.of("gcc", "-I/usr/include/fuse3", "-o", binary.toString(), source.toString()));
        Map<String, Long> compiled = new TreeMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            String[] pair = line.split("=");
            compiled.put(pair[0], Long.parseLong(pair[1]));
        }

        assertThat(compiled).isEqualTo(javaConstants());
    }

    private static Map<String, Long> javaConstants() throws IllegalAccessException {
        Map<String, Long> constants = new TreeMap<>();
        for (Field field : Fuse3Layout.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                field.setAccessible(true);
                constants.put(field.getName(), (long) field.getInt(null));
            }
        }
        return constants;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
        return output;
    }
}
