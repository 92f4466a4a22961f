package dev.asyncio.http.websocket;

/** The close status codes of RFC 6455 section 7.4.1 that this package sends or reports. */
public final class WebSocketCloseCodes {
    /** The purpose of the connection was fulfilled. */
    public static final int NORMAL = 1000;
    /** The endpoint goes away: a server shutting down, a browser leaving the page. */
    public static final int GOING_AWAY = 1001;
    /** The peer broke the protocol (a bad frame, an unmasked client frame, ...). */
    public static final int PROTOCOL_ERROR = 1002;
    /** The peer sent a kind of data this endpoint does not accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported only, never sent: the close frame carried no status code. */
    public static final int NO_STATUS = 1005;
    /** Reported only, never sent: the connection ended without a close frame. */
    public static final int ABNORMAL = 1006;
    /** A text message was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** A message broke the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message was larger than the endpoint takes. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server met an unexpected condition (a handler's exception). */
    public static final int INTERNAL_ERROR = 1011;

    private WebSocketCloseCodes() {
    }

    /**
     * Whether {@code code} may be sent in a close frame: 1000-1003, 1007-1011, or 3000-4999 (registered and
     * private codes). 1005, 1006 and 1015 only report what happened, and the rest are reserved.
     */
    public static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
    }
}
