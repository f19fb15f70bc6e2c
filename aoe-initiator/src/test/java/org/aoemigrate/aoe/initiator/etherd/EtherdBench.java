package org.aoemigrate.aoe.initiator.etherd;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * Throughput of the userspace /dev/etherd against its backend called directly: an in-memory
 * backend, then dd with O_DIRECT through the node (1 MiB and 4 KiB blocks), and qemu-img bench
 * with cache=none when qemu-img is installed. Each figure is the median of RUNS runs after a
 * warm-up; figures side by side, no pass/fail. Root; run from the test classpath:
 * {@code java -cp ... org.aoemigrate.aoe.initiator.etherd.EtherdBench [MiB] [workers] [RUNS]}.
 */
public final class EtherdBench {

    private static int runs = 3;

    private EtherdBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        MemoryBackend backend = new MemoryBackend(mib << 20);
        List<String> rows = new ArrayList<>();
        rows.add(direct(backend, mib, true));
        rows.add(direct(backend, mib, false));

        Path runtime = Files.createTempDirectory(Path.of("/run"), "aoe-etherd-bench");
        Path nodes = Files.createTempDirectory("etherd-bench");
        var settings = EtherdAttachment.Settings.defaults().withRuntimeDir(runtime).withDir(nodes).withWorkers(workers);
        AoeAddress name = AoeAddress.parse("e9.9");
        try (EtherdAttachment attachment = EtherdAttachment.attach(Map.of(name, backend), settings)) {
            String node = attachment.device(name).orElseThrow().node().toString();
            dd("if=/dev/zero", "of=" + node, "bs=1M", "count=" + mib, "oflag=direct"); // warm-up: JIT, thread attach
            dd("if=" + node, "of=/dev/null", "bs=1M", "count=" + mib, "iflag=direct");
            rows.add(row("dd 1 MiB O_DIRECT write, node", mib, dd("if=/dev/zero", "of=" + node, "bs=1M", "count=" + mib, "oflag=direct")));
            rows.add(row("dd 1 MiB O_DIRECT read, node", mib, dd("if=" + node, "of=/dev/null", "bs=1M", "count=" + mib, "iflag=direct")));
            int small = Math.min(mib * 256, 16384);
            rows.add(row("dd 4 KiB O_DIRECT write, node", small / 256.0, dd("if=/dev/zero", "of=" + node, "bs=4k", "count=" + small, "oflag=direct")));
            rows.add(row("dd 4 KiB O_DIRECT read, node", small / 256.0, dd("if=" + node, "of=/dev/null", "bs=4k", "count=" + small, "iflag=direct")));
            if (Files.isExecutable(Path.of("/usr/bin/qemu-img"))) {
                for (String depth : List.of("1", "16")) {
                    for (boolean write : List.of(false, true)) {
                        List<String> bench = new ArrayList<>(List.of("qemu-img", "bench", "-f", "raw", "-t", "none", "-i", "native", "-n",
                                "-c", "1024", "-s", "1M", "-d", depth)); // 1 GiB, wrapping around the device
                        if (write) {
                            bench.add("-w");
                        }
                        bench.add(node);
                        rows.add(row("qemu-img bench 1 MiB QD" + depth + (write ? " write" : " read") + ", node", 1024, timed(bench)));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(runtime);
            Files.deleteIfExists(nodes);
        }
        System.out.printf("%-44s %10s%n", "what (" + mib + " MiB, " + workers + " FUSE workers, median of " + runs + ")", "MiB/s");
        rows.forEach(System.out::println);
    }

    /** The backend alone, 1 MiB calls through a direct buffer: the ceiling for the FUSE path. */
    private static String direct(MemoryBackend backend, int mib, boolean write) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int round = 0; round < 3; round++) { // warm-up rounds, then the measured one
            long start = System.nanoTime();
            for (long offset = 0; offset < (long) mib << 20; offset += 1 << 20) {
                chunk.clear();
                if (write) {
                    backend.write(offset, chunk);
                } else {
                    backend.read(offset, chunk);
                }
            }
            if (round == 2) {
                return row("backend called directly, 1 MiB " + (write ? "write" : "read"), mib, Duration.ofNanos(System.nanoTime() - start));
            }
        }
        throw new AssertionError();
    }

    private static Duration dd(String... operands) throws Exception {
        List<String> command = new ArrayList<>(List.of("dd", "status=none"));
        command.addAll(List.of(operands));
        return timed(command);
    }

    /** The median duration of {@code runs} runs of the command. */
    private static Duration timed(List<String> command) throws Exception {
        List<Duration> durations = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            var result = Shell.run(Duration.ofMinutes(10), command.toArray(String[]::new));
            durations.add(Duration.ofNanos(System.nanoTime() - start));
            if (result.exit() != 0) {
                throw new IllegalStateException(command + " failed: " + result.output());
            }
        }
        durations.sort(null);
        return durations.get(durations.size() / 2);
    }

    private static String row(String what, double mib, Duration took) {
        return String.format("%-44s %10.0f", what, mib / (took.toNanos() / 1e9));
    }
}
