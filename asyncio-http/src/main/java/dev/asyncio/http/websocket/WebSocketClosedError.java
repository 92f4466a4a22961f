package dev.asyncio.http.websocket;

import dev.asyncio.net.ConnectionError;

/**
 * The WebSocket connection is closed, or ended while an operation waited: {@link #code()} says how
 * ({@link WebSocketCloseCodes#ABNORMAL} 1006 when it broke without a close frame, 1002/1007/1009 when this side
 * closed it because of what the peer sent, or the peer's code after a close handshake), and {@link #reason()}
 * gives the close frame's reason or what was wrong.
 */
public class WebSocketClosedError extends ConnectionError {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String reason;

    public WebSocketClosedError(int code, String reason, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.reason = reason;
    }

    /** The close status code. */
    public int code() {
        return code;
    }

    /** The close reason, or what went wrong; "" when none. */
    public String reason() {
        return reason;
    }
}
