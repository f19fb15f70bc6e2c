package org.aoemigrate.aoe.target.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * Reads the YAML config of {@code aoe-target --config FILE}:
 *
 * <pre>
 * stateDir: /var/lib/aoe-target      # optional
 * exports:
 *   - shelf: 1
 *     slot: 0
 *     path: /srv/aoe/vm1.img         # relative paths start at the config file's directory
 *     interfaces: [eth1, eth2]       # or "eth1,eth2"
 *     ioMode: sync                   # buffered (default) | sync | direct
 *     readOnly: false
 *     offset: 0                      # 512-byte sectors skipped at the start of the file
 *     length: 2097152                # sectors exported; default: to the end of the file
 *     bufferCount: 16
 *     masks: [02:00:00:00:00:0a]     # initial MAC mask list
 *     config: "vm1"                  # initial config string
 * </pre>
 *
 * Unknown keys, repeated keys and two exports on one address are refused; every message names
 * the file, the line and the key.
 */
public final class TargetConfigReader {

    static final List<String> TOP_LEVEL_KEYS = List.of("stateDir", "exports");
    static final List<String> EXPORT_KEYS = List.of("shelf", "slot", "path", "interfaces", "ioMode", "readOnly",
            "offset", "length", "bufferCount", "masks", "config");

    private final String source;
    private final Path baseDirectory;

    private TargetConfigReader(String source, Path baseDirectory) {
        this.source = source;
        this.baseDirectory = baseDirectory;
    }

    /** Reads {@code file}; relative paths inside it are taken from the file's directory. */
    public static TargetConfig read(Path file) throws ConfigException, IOException {
        String source = file.toString();
        Path base = file.toAbsolutePath().getParent();
        try (Reader text = Files.newBufferedReader(file)) {
            return parse(source, text, base);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, 0, "no such file; give the path of an existing YAML config"
                    + " (examples/aoe-target.yaml shows one)");
        }
    }

    /** Parses YAML text; {@code source} names it in messages. */
    public static TargetConfig parse(String source, Reader text, Path baseDirectory) throws ConfigException, IOException {
        return new TargetConfigReader(source, baseDirectory).config(YamlTreeReader.read(source, text));
    }

    private TargetConfig config(YamlNode root) throws ConfigException {
        if (root instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
            throw new ConfigException(source, 0, "is empty; it needs an 'exports:' list (examples/aoe-target.yaml shows one)");
        }
        MappingFields top = MappingFields.of(source, root, "the top level", TOP_LEVEL_KEYS);
        Optional<Path> stateDir = Optional.empty();
        if (top.has("stateDir")) {
            stateDir = Optional.of(baseDirectory.resolve(top.text(top.entry("stateDir"))));
        }
        YamlNode.Entry exports = top.required("exports", "list the exports under 'exports:'");
        if (!(exports.value() instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
            throw top.problem(exports, "must be a list with at least one export ('- shelf: ...'), not "
                    + exports.value().describe());
        }
        List<ExportSpec> specs = new ArrayList<>();
        Map<ExportAddress, Integer> lineOfAddress = new HashMap<>();
        Map<ExportAddress, Integer> numberOfAddress = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode node = list.items().get(i);
            int number = i + 1;
            ExportSpec spec = export(MappingFields.of(source, node, "export " + number, EXPORT_KEYS));
            Integer earlier = lineOfAddress.putIfAbsent(spec.address(), node.line());
            if (earlier != null) {
                throw new ConfigException(source, node.line(), "export " + number + " is " + spec.address()
                        + ", which export " + numberOfAddress.get(spec.address()) + " (line " + earlier
                        + ") already serves; give each export its own shelf and slot");
            }
            numberOfAddress.put(spec.address(), number);
            specs.add(spec);
        }
        return new TargetConfig(stateDir, specs);
    }

    private ExportSpec export(MappingFields f) throws ConfigException {
        String required = "every export needs shelf, slot, path and interfaces";
        ExportAddress address = address(f, f.required("shelf", required), f.required("slot", required));
        Path path = baseDirectory.resolve(f.text(f.required("path", required)));
        ExportSpec.Builder b = ExportSpec.builder(address, path).interfaces(interfaces(f, f.required("interfaces", required)));
        if (f.has("ioMode")) {
            b.ioMode(ioMode(f, f.entry("ioMode")));
        }
        if (f.has("readOnly")) {
            b.readOnly(f.flag(f.entry("readOnly")));
        }
        if (f.has("offset")) {
            b.offsetSectors(f.wholeNumber(f.entry("offset"), 0, Long.MAX_VALUE, "0 or more sectors of 512 bytes"));
        }
        if (f.has("length")) {
            b.lengthSectors(f.wholeNumber(f.entry("length"), 1, Long.MAX_VALUE,
                    "1 or more sectors of 512 bytes, or leave it out to export the rest of the file"));
        }
        if (f.has("bufferCount")) {
            b.bufferCount((int) f.wholeNumber(f.entry("bufferCount"), 1, 0xFFFF, "1-65535"));
        }
        if (f.has("masks")) {
            b.initialMasks(masks(f, f.entry("masks")));
        }
        if (f.has("config")) {
            b.initialConfig(f.text(f.entry("config")));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, f.line(), f.where() + ": " + e.getMessage());
        }
    }

    /** Checks the shelf on its own line first, so each complaint points at the right key. */
    private ExportAddress address(MappingFields f, YamlNode.Entry shelfEntry, YamlNode.Entry slotEntry)
            throws ConfigException {
        int shelf = (int) f.wholeNumber(shelfEntry, Integer.MIN_VALUE, Integer.MAX_VALUE, "a shelf number");
        int slot = (int) f.wholeNumber(slotEntry, Integer.MIN_VALUE, Integer.MAX_VALUE, "a slot number");
        try {
            new ExportAddress(shelf, 0);
        } catch (IllegalArgumentException e) {
            throw f.problem(shelfEntry, "is invalid: " + e.getMessage());
        }
        try {
            return new ExportAddress(shelf, slot);
        } catch (IllegalArgumentException e) {
            throw f.problem(slotEntry, "is invalid: " + e.getMessage());
        }
    }

    private List<String> interfaces(MappingFields f, YamlNode.Entry e) throws ConfigException {
        List<String> names = new ArrayList<>();
        for (MappingFields.Located name : f.names(e)) {
            if (name.text().isEmpty()) {
                throw f.problem(name.line(), e.key(), "names an empty interface; write names like eth1, or [eth1, eth2]");
            }
            names.add(name.text());
        }
        return names;
    }

    private IoMode ioMode(MappingFields f, YamlNode.Entry e) throws ConfigException {
        String text = f.text(e);
        for (IoMode mode : IoMode.values()) {
            if (mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw f.problem(e, "is '" + text + "'; use buffered, sync or direct");
    }

    private List<MacAddress> masks(MappingFields f, YamlNode.Entry e) throws ConfigException {
        List<MacAddress> macs = new ArrayList<>();
        List<MappingFields.Located> names = f.names(e);
        for (int i = 0; i < names.size(); i++) {
            try {
                macs.add(MacAddress.parse(names.get(i).text()));
            } catch (IllegalArgumentException bad) {
                throw f.problem(names.get(i).line(), e.key(), "entry " + (i + 1) + ": " + bad.getMessage());
            }
        }
        return macs;
    }
}
