package org.aoemigrate.orchestrator.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The client's end of the local API: one call per connection (see {@link ApiLine} for the lines). */
public final class ApiClient {

    private final Path socket;

    public ApiClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /**
     * Sends {@code request}, hands each event to {@code events} as it comes, and returns the
     * result line.
     *
     * @throws DaemonUnavailableException no daemon listens on the socket
     * @throws ApiException               the daemon answered with an error
     * @throws IOException                the connection broke before the result
     */
    public ApiLine call(ApiRequest request, Consumer<ProgressReport> events) throws IOException, ApiException {
        try (SocketChannel ch = connect()) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write((ApiJson.MAPPER.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                ApiLine line;
                try {
                    line = ApiLine.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IOException("the daemon on " + socket + " sent a line this client does not understand ("
                            + e.getMessage() + "); are the daemon and the command the same version?", e);
                }
                switch (line.kind()) {
                    case EVENT -> events.accept(line.as(ProgressReport.class));
                    case RESULT -> {
                        return line;
                    }
                    case ERROR -> {
                        ApiError e = line.as(ApiError.class);
                        throw new ApiException(e.code(), e.message());
                    }
                }
            }
            throw new IOException("the daemon on " + socket + " closed the connection before its answer; its log says why"
                    + (request.op() == ApiRequest.Op.MIGRATE ? " (the migration may go on: see 'aoemigrate status')" : ""));
        }
    }

    /** {@link #call} for a request that streams no events, with the result read as {@code type}. */
    public <T> T call(ApiRequest request, Class<T> type) throws IOException, ApiException {
        return call(request, e -> { }).as(type);
    }

    private SocketChannel connect() throws DaemonUnavailableException {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (AccessDeniedException e) {
            throw unavailable("cannot open " + socket + ": permission denied (the socket is owner-only);"
                    + " run as the daemon's user", e);
        } catch (ConnectException | java.nio.file.NoSuchFileException e) {
            throw unavailable(why(), e);
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            throw unavailable(m.contains("ermission") ? "cannot open " + socket + ": permission denied (the socket is"
                    + " owner-only); run as the daemon's user" : why() + " (" + m + ")", e);
        } catch (IOException e) {
            throw unavailable(why() + " (" + e.getMessage() + ")", e);
        }
    }

    private String why() {
        return "no aoemigrate daemon is running (" + (Files.exists(socket) ? "nothing answers on " : "no socket at ")
                + socket + "); start one with 'aoemigrate daemon --config FILE', or name its socket with --socket PATH";
    }

    private static DaemonUnavailableException unavailable(String message, IOException cause) {
        return new DaemonUnavailableException(message, cause);
    }
}
