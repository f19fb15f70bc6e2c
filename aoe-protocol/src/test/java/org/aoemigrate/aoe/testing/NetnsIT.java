package org.aoemigrate.aoe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The harness itself: what it builds is there, and what it leaves behind is nothing. */
class NetnsIT {

    private static final Duration SHORT = Duration.ofSeconds(20);

    @BeforeEach
    void needsRoot() {
        Netns.requireRoot();
    }

    private static String namespaces() {
        return String.join("\n", run("ip", "netns", "list"));
    }

    private static List<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            p.waitFor();
            return lines;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void vethJoinsTwoNamespacesWithTheAskedMtuAndNothingAppearsOutside() {
        try (Netns net = new Netns()) {
            Netns.Namespace a = net.namespace("a");
            Netns.Namespace b = net.namespace("b");
            net.veth(a, "vA", b, "vB", 9000);

            assertThat(a.name()).startsWith("aoemt-").endsWith("-a");
            assertThat(net.exec(a, SHORT, "ip", "-o", "link", "show", "vA").orThrow().stdout())
                    .contains("mtu 9000").contains("state UP");
            assertThat(net.exec(b, SHORT, "ip", "-o", "link", "show", "vB").orThrow().stdout()).contains("mtu 9000");
            assertThat(run("ip", "-o", "link")).noneMatch(l -> l.contains(" vA") || l.contains(" vB"));
        }
    }

    @Test
    void linkDownAndMtuChangesApplyMidTest() {
        try (Netns net = new Netns()) {
            Netns.Namespace a = net.namespace("a");
            Netns.Namespace b = net.namespace("b");
            net.veth(a, "vA", b, "vB", 1500);

            net.linkDown(a, "vA");
            net.setMtu(b, "vB", 4000);

            assertThat(net.exec(a, SHORT, "ip", "-o", "link", "show", "vA").stdout()).contains("state DOWN");
            assertThat(net.exec(b, SHORT, "ip", "-o", "link", "show", "vB").stdout())
                    .contains("mtu 4000").contains("NO-CARRIER");
        }
    }

    @Test
    void execCapturesOutputAndExitCodeAndKillsACommandThatOverstays() {
        try (Netns net = new Netns()) {
            Netns.Namespace a = net.namespace("a");

            CommandResult r = net.exec(a, SHORT, "sh", "-c", "echo out; echo err >&2; exit 4");
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.stdout()).isEqualTo("out\n");
            assertThat(r.stderr()).isEqualTo("err\n");
            assertThatThrownBy(r::orThrow).hasMessageContaining("exited 4").hasMessageContaining("err");

            assertThatThrownBy(() -> net.exec(a, Duration.ofMillis(300), "sleep", "30"))
                    .hasMessageContaining("did not finish within");
        }
    }

    @Test
    void closeStopsBackgroundProcessesAndDeletesTheNamespaces() throws Exception {
        NetnsProcess stubborn;
        NetnsProcess polite;
        String name;
        try (Netns net = new Netns()) {
            Netns.Namespace a = net.namespace("a");
            name = a.name();
            polite = net.start(a, "sleeper", List.of("sleep", "600"));
            stubborn = net.start(a, "stubborn", List.of("sh", "-c", "trap '' TERM; echo READY; while true; do sleep 1; done"));
            stubborn.awaitLine("READY", SHORT);
            assertThat(namespaces()).contains(name);
        }
        assertThat(polite.isAlive()).isFalse();
        assertThat(stubborn.isAlive()).as("SIGKILL after the grace period").isFalse();
        assertThat(ProcessHandle.of(stubborn.pid())).isEmpty();
        assertThat(namespaces()).doesNotContain(name);
    }

    @Test
    void javaMainsRunInsideTheNamespaceWithTheTestClasspath() {
        try (Netns net = new Netns()) {
            Netns.Namespace a = net.namespace("a");
            net.veth(a, "vIn", net.namespace("b"), "vOut", 1500);

            CommandResult r = net.runJava(a, Duration.ofSeconds(60), ListInterfaces.class).orThrow();

            assertThat(r.stdout().lines()).contains("lo", "vIn").doesNotContain("vOut");
        }
    }

    /** Prints the interfaces its JVM sees, one per line. */
    public static final class ListInterfaces {
        public static void main(String[] args) throws Exception {
            try (var names = java.nio.file.Files.list(java.nio.file.Path.of("/sys/class/net"))) {
                names.forEach(p -> System.out.println(p.getFileName()));
            }
        }
    }

    @Test
    void shutdownHookTearsDownWhatAnExitingJvmLeftOpen() throws Exception {
        Process child = new ProcessBuilder(Netns.java(LeaveOpen.class, "exit")).redirectErrorStream(true).start();
        List<String> lines = new String(child.getInputStream().readAllBytes()).lines().toList();
        child.waitFor();

        String name = value(lines, "namespace");
        long sleeper = Long.parseLong(value(lines, "pid"));
        assertThat(namespaces()).doesNotContain(name);
        assertThat(ProcessHandle.of(sleeper)).as("stopped by PID before the JVM ended").isEmpty();
    }

    @Test
    void aNewHarnessSweepsNamespacesAndProcessesOfAKilledJvm() throws Exception {
        Process child = new ProcessBuilder(Netns.java(LeaveOpen.class, "hang")).redirectErrorStream(true).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
        String name = out.readLine().split("=")[1];
        long sleeper = Long.parseLong(out.readLine().split("=")[1]);
        child.destroyForcibly().waitFor();
        assertThat(namespaces()).as("SIGKILL runs no hook").contains(name);

        new Netns().close();

        assertThat(namespaces()).doesNotContain(name);
        for (int i = 0; i < 100 && ProcessHandle.of(sleeper).isPresent(); i++) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(sleeper)).isEmpty();
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in " + lines)).split("=")[1];
    }

    /** Makes a namespace with a process in it and never closes the harness; exits or hangs. */
    public static final class LeaveOpen {
        public static void main(String[] args) throws Exception {
            Netns net = new Netns();
            Netns.Namespace ns = net.namespace("left");
            NetnsProcess sleeper = net.start(ns, "sleeper", List.of("sleep", "600"));
            System.out.println("namespace=" + ns.name());
            System.out.println("pid=" + sleeper.pid());
            System.out.flush();
            if (args[0].equals("hang")) {
                Thread.sleep(600_000);
            }
        }
    }

    @Test
    void closedHarnessRefusesNewWork() {
        Netns net = new Netns();
        Netns.Namespace a = net.namespace("a");
        net.close();

        assertThatThrownBy(() -> net.namespace("b")).hasMessageContaining("closed");
        assertThatThrownBy(() -> net.exec(a, SHORT, "true")).hasMessageContaining("closed");
    }
}
