package org.aoemigrate.orchestrator.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.aoemigrate.orchestrator.api.ApiLine.Kind;

/**
 * The daemon's end of the local API: a unix socket (JEP 380), one request per connection, JSON
 * lines both ways (see {@link ApiLine}). Each connection gets its own thread, since a
 * {@code migrate} holds its connection for the whole move, streaming events.
 *
 * <p>The socket's directory is made 0700 and the socket 0600 before anyone can use it: the
 * directory is private first, so nobody else can reach the socket between bind and chmod.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ApiServer.class.getName());
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    /** A request is one short line; more is a client speaking another protocol. */
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ApiHandler handler;
    private final Set<SocketChannel> connections = new HashSet<>();
    private final Thread acceptor;
    private volatile boolean open = true;

    private ApiServer(Path socket, ServerSocketChannel server, ApiHandler handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "aoemigrate-api accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket}. A socket file left by a daemon that died is replaced; one that
     * still answers means another daemon runs, and this fails.
     */
    public static ApiServer start(Path socket, ApiHandler handler) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        removeStale(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, SOCKET_MODE);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        ApiServer s = new ApiServer(socket, server, handler);
        s.acceptor.start();
        return s;
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException("another aoemigrate daemon already listens on " + socket
                    + "; stop it first (one daemon per state directory)");
        } catch (ConnectException dead) {
            Files.deleteIfExists(socket);
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (open) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (open) {
                    LOG.log(Level.WARNING, "accept on " + socket + " failed: " + e.getMessage());
                }
                continue;
            }
            synchronized (connections) {
                connections.add(ch);
            }
            Thread t = new Thread(() -> serve(ch), "aoemigrate-api connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; Writer out = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8)) {
            LineSink sink = new LineSink(out);
            ApiRequest request;
            try {
                request = readRequest(ch);
            } catch (ApiException e) {
                sink.send(ApiLine.of(Kind.ERROR, e.error()));
                return;
            }
            try {
                Object result = handler.handle(request, event -> sink.send(ApiLine.of(Kind.EVENT, event)));
                sink.send(ApiLine.of(Kind.RESULT, result));
            } catch (ApiException e) {
                sink.send(ApiLine.of(Kind.ERROR, e.error()));
            } catch (InterruptedException e) {
                sink.send(ApiLine.of(Kind.ERROR, new ApiError(ApiError.INTERNAL, "the daemon is stopping")));
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "request " + request.op() + " failed", e);
                sink.send(ApiLine.of(Kind.ERROR, new ApiError(ApiError.INTERNAL, request.op().wire() + " failed in the daemon: "
                        + e + "; the daemon's log has the details")));
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection closed: " + e.getMessage());
        } finally {
            synchronized (connections) {
                connections.remove(ch);
            }
        }
    }

    private static ApiRequest readRequest(SocketChannel ch) throws IOException, ApiException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new ApiException(ApiError.BAD_REQUEST, "the request ended before its newline");
            }
            if (line.length() >= MAX_REQUEST) {
                throw new ApiException(ApiError.BAD_REQUEST, "the request is longer than " + MAX_REQUEST + " characters");
            }
            line.append((char) c);
        }
        try {
            ApiRequest r = ApiJson.MAPPER.readValue(line.toString(), ApiRequest.class);
            if (r.op() == null) {
                throw new ApiException(ApiError.BAD_REQUEST, "the request has no 'op'");
            }
            return r;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(ApiError.BAD_REQUEST, "the request is not an API request: " + e.getOriginalMessage());
        }
    }

    /**
     * Writes lines; once the client has gone, drops the rest: a migration goes on without its
     * client (it can be followed with {@code status} and {@code history}).
     */
    private static final class LineSink {
        private final Writer out;
        private boolean gone;

        LineSink(Writer out) {
            this.out = out;
        }

        synchronized void send(ApiLine line) {
            if (gone) {
                return;
            }
            try {
                out.write(line.text());
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                gone = true;
            }
        }
    }

    /** Stops listening, removes the socket file and closes the connections still open. */
    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing " + socket + ": " + e.getMessage());
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + socket + ": " + e.getMessage());
        }
        synchronized (connections) {
            for (SocketChannel ch : connections) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
