package org.aoemigrate.aoe.initiator.etherd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * The attaching side of {@link EtherdCrashIT}, run in its own JVM (and mount namespace): attaches
 * file-backed devices ({@code BACKING_DIR/eS.L.img}), prints where they are, then serves until
 * killed, like {@code aoe-initiator attach} in the foreground.
 *
 * <p>Arguments: RUNTIME_DIR NODE_DIR BACKING_DIR SIZE_BYTES eS.L...
 */
public final class EtherdAttachMain {

    private EtherdAttachMain() {
    }

    public static void main(String[] args) throws Exception {
        var settings = EtherdAttachment.Settings.defaults().withRuntimeDir(Path.of(args[0])).withDir(Path.of(args[1]))
                .withTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(10));
        Map<AoeAddress, BlockBackend> backends = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            backends.put(AoeAddress.parse(args[i]), new FileBackend(Path.of(args[2], args[i] + ".img"), Long.parseLong(args[3])));
        }
        EtherdAttachment attachment = EtherdAttachment.attach(backends, settings);
        for (EtherdAttachment.Device device : attachment.devices()) {
            System.out.println("node." + device.name() + "=" + device.node());
            System.out.println("loop." + device.name() + "=" + device.loop().device());
            System.out.println("file." + device.name() + "=" + device.file());
        }
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM (the attachment's shutdown hook detaches) or SIGKILL
    }
}
