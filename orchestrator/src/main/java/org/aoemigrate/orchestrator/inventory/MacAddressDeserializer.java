package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import org.aoemigrate.aoe.wire.MacAddress;

/** Binds {@code 02:00:00:00:00:0a} (or {@code 02-00-...}, {@code 02000000000a}) to a {@link MacAddress}. */
final class MacAddressDeserializer extends StdScalarDeserializer<MacAddress> {

    private static final long serialVersionUID = 1L;

    MacAddressDeserializer() {
        super(MacAddress.class);
    }

    @Override
    public MacAddress deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String text = p.getValueAsString();
        if (text == null) {
            return (MacAddress) ctxt.handleUnexpectedToken(MacAddress.class, p);
        }
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(text, MacAddress.class, e.getMessage());
        }
    }
}
