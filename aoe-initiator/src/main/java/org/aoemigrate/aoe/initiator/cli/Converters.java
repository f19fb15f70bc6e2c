package org.aoemigrate.aoe.initiator.cli;

import java.util.Locale;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the values operators type; their messages say what a good value looks like. */
final class Converters {

    private Converters() {
    }

    /** {@code e1.0} or {@code 1.0}. */
    static final class Address implements ITypeConverter<AoeAddress> {
        @Override
        public AoeAddress convert(String value) {
            try {
                return AoeAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 02:00:00:00:00:0a}, {@code 02-00-...} or {@code 02000000000a}. */
    static final class Mac implements ITypeConverter<MacAddress> {
        @Override
        public MacAddress convert(String value) {
            try {
                return MacAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A byte count: {@code 4096}, or with a binary suffix {@code 4k}, {@code 64M}, {@code 2G}, {@code 1T}. */
    static final class Bytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseBytes(value);
        }
    }

    static long parseBytes(String value) {
        String s = value.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            int index = "KMGT".indexOf(s.charAt(s.length() - 1));
            if (index >= 0) {
                shift = 10 * (index + 1);
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a byte count; write e.g. 4096, 4k, 64M or 2G");
        }
    }
}
