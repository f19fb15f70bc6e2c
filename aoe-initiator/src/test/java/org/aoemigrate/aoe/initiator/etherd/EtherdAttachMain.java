package org.aoemigrate.aoe.initiator.etherd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * The attaching side of {@link EtherdCrashIT}, run in its own JVM (and mount namespace): attaches
 * one file-backed device, prints where it is, then serves until killed, like
 * {@code aoe-initiator attach} in the foreground.
 *
 * <p>Arguments: RUNTIME_DIR NODE_DIR BACKING_FILE SIZE_BYTES eS.L
 */
public final class EtherdAttachMain {

    private EtherdAttachMain() {
    }

    public static void main(String[] args) throws Exception {
        var settings = EtherdAttachment.Settings.defaults().withRuntimeDir(Path.of(args[0])).withDir(Path.of(args[1]))
                .withTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(10));
        AoeAddress name = AoeAddress.parse(args[4]);
        FileBackend backend = new FileBackend(Path.of(args[2]), Long.parseLong(args[3]));
        EtherdAttachment attachment = EtherdAttachment.attach(Map.of(name, backend), settings);
        EtherdAttachment.Device device = attachment.device(name).orElseThrow();
        System.out.println("node=" + device.node());
        System.out.println("loop=" + device.loop().device());
        System.out.println("file=" + device.file());
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM (the attachment's shutdown hook detaches) or SIGKILL
    }
}
