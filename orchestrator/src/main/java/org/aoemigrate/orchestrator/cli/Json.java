package org.aoemigrate.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.aoemigrate.orchestrator.api.ApiJson;

/** {@code --json} output: the API's own JSON, one document, pretty-printed. */
final class Json {

    private Json() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
