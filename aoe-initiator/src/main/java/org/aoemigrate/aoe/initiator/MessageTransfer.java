package org.aoemigrate.aoe.initiator;

import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A single-frame management command (Query Config, Mac Mask List, Reserve/Release) built and
 * read with the wire codec. These are rare, so they may allocate; the data path does not use
 * this class.
 *
 * @param <T> what the answer means to the caller
 */
final class MessageTransfer<T> extends Transfer<T> {

    /** Turns the decoded answer into the result, or throws the typed failure it carries. */
    @FunctionalInterface
    interface Reader<T> {
        T read(AoeMessage reply) throws AoeException;
    }

    private final AoeAddress device;
    private final String operation;
    private final AoeMessage request;
    private final Reader<T> reader;
    private final boolean silenceAnswers;
    private final T silenceResult;

    /**
     * @param request        the message; its header is a placeholder, the engine writes the real one
     * @param silenceAnswers true if no answer by the deadline means {@code silenceResult}
     */
    MessageTransfer(AoeAddress device, String operation, AoeMessage request, Reader<T> reader,
            MacAddress pinnedTarget, DevicePath pinnedPath, boolean silenceAnswers, T silenceResult) {
        super(1, pinnedTarget, pinnedPath);
        this.device = device;
        this.operation = operation;
        this.request = request;
        this.reader = reader;
        this.silenceAnswers = silenceAnswers;
        this.silenceResult = silenceResult;
    }

    @Override
    int command() {
        return request.header().command();
    }

    @Override
    int encode(int frame, ByteBuffer out) {
        out.clear();
        AoeCodec.encodeUnpadded(request, out);
        return out.position();
    }

    @Override
    void onAnswer(int frame, ByteBuffer reply) throws AoeException {
        AoeMessage message;
        try {
            message = AoeCodec.decode(reply);
        } catch (AoeProtocolException e) {
            throw new AoeException(device + " answered " + operation + " with a malformed frame: " + e.getMessage(), e);
        }
        result = reader.read(message);
    }

    @Override
    boolean onSilence() {
        if (silenceAnswers) {
            result = silenceResult;
        }
        return silenceAnswers;
    }

    @Override
    String describe(int frame) {
        return operation;
    }
}
