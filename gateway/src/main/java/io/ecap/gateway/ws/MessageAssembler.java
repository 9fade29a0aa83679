package io.ecap.gateway.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Puts a WebSocket's frames back together into messages, holding at most {@code limitBytes} of one message: a longer
 * message is not kept, only counted, and reported as too large when its last frame arrives, in its place among the
 * messages. (Vert.x's own assembly drops such a message and says so only to an exception handler, so the client never
 * learnt what became of it.) Control frames are Vert.x's business and are ignored here. One per connection.
 */
final class MessageAssembler {
    /** Where whole messages go, in the order they were sent. */
    interface Messages {
        void message(Buffer bytes);

        /** A message of {@code bytes} bytes, more than the limit: nothing of it is kept. */
        void tooLarge(long bytes);
    }

    private final int limitBytes;
    private final Messages messages;
    private Buffer parts;
    private long length;

    MessageAssembler(final int limitBytes, final Messages messages) {
        this.limitBytes = limitBytes;
        this.messages = messages;
    }

    void frame(final WebSocketFrame frame) {
        if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
            return;
        }
        if (!frame.isContinuation()) {
            parts = null;
            length = 0;
        }
        final Buffer data = frame.binaryData();
        length += data.length();
        if (length > limitBytes) {
            parts = null;
        } else if (parts != null || !frame.isFinal()) {
            parts = parts == null ? Buffer.buffer(data.length() * 2).appendBuffer(data) : parts.appendBuffer(data);
        }
        if (frame.isFinal()) {
            final long total = length;
            final Buffer whole = parts != null ? parts : data;
            parts = null;
            length = 0;
            if (total > limitBytes) {
                messages.tooLarge(total);
            } else {
                messages.message(whole);
            }
        }
    }
}
