package org.aoemigrate.orchestrator.api;

import java.util.function.Consumer;

/** Serves one request: the daemon's side of the protocol. Called on the connection's own thread. */
@FunctionalInterface
public interface ApiHandler {

    /**
     * Answers {@code request}; events (for {@code migrate}) go to {@code events} as they happen.
     *
     * @return the result, serialized as the reply's {@code result} line
     * @throws ApiException sent as the reply's {@code error} line
     */
    Object handle(ApiRequest request, Consumer<ProgressReport> events) throws ApiException, InterruptedException;
}
