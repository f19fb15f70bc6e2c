package org.aoemigrate.aoe.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hex dumps in {@code vblade-capture/sample-frames.txt} (tshark -x output of final.pcap,
 * one block per frame under a {@code --- frame N (summary)} line), by frame number.
 */
final class SampleFrames {

    private static final Pattern FRAME = Pattern.compile("^--- frame (\\d+) .*");
    private static final Pattern HEX_LINE = Pattern.compile("^[0-9a-f]{4}  ((?:[0-9a-f]{2} )*[0-9a-f]{2}).*");

    private static final Map<Integer, byte[]> FRAMES = load("/vblade-capture/sample-frames.txt");

    private SampleFrames() {
    }

    static byte[] frame(int number) {
        byte[] frame = FRAMES.get(number);
        if (frame == null) {
            throw new IllegalArgumentException("sample-frames.txt has no frame " + number);
        }
        return frame.clone();
    }

    static Map<Integer, byte[]> all() {
        return Map.copyOf(FRAMES);
    }

    private static Map<Integer, byte[]> load(String resource) {
        Map<Integer, byte[]> frames = new HashMap<>();
        try (InputStream in = SampleFrames.class.getResourceAsStream(resource)) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Integer current = null;
            StringBuilder hex = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                Matcher frame = FRAME.matcher(line);
                Matcher data = HEX_LINE.matcher(line);
                if (frame.matches()) {
                    put(frames, current, hex);
                    current = Integer.valueOf(frame.group(1));
                    hex.setLength(0);
                } else if (data.matches()) {
                    hex.append(data.group(1).replace(" ", ""));
                }
            }
            put(frames, current, hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frames;
    }

    private static void put(Map<Integer, byte[]> frames, Integer number, StringBuilder hex) {
        if (number != null) {
            frames.put(number, hex(hex.toString()));
        }
    }

    /** Bytes from a hex string; spaces allowed. */
    static byte[] hex(String text) {
        String s = text.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
