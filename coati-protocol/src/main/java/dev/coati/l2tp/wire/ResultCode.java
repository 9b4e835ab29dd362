package dev.coati.l2tp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.nio.charset.StandardCharsets;

/**
 * Result Code AVP value (RFC 2661 section 4.4.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Result Code          |     Error Code (opt)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Error Message ... (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param errorCode -1 when absent (then the message must be empty)
 */
public record ResultCode(int result, int errorCode, String message) {
  // StopCCN result codes
  public static final int CLEAR_CONNECTION = 1;
  public static final int GENERAL_ERROR = 2;
  public static final int CHANNEL_EXISTS = 3;
  public static final int NOT_AUTHORIZED = 4;
  public static final int UNSUPPORTED_VERSION = 5;
  public static final int SHUTTING_DOWN = 6;
  public static final int FSM_ERROR = 7;
  // CDN result codes
  public static final int LOST_CARRIER = 1;
  public static final int ADMINISTRATIVE = 3;
  // general error codes
  public static final int NO_GENERAL_ERROR = 0;
  public static final int NO_CONTROL_CONNECTION = 1;
  public static final int LENGTH_WRONG = 2;
  public static final int FIELD_OUT_OF_RANGE = 3;
  public static final int INSUFFICIENT_RESOURCES = 4;
  public static final int INVALID_SESSION_ID = 5;
  public static final int VENDOR_ERROR = 6;
  public static final int TRY_ANOTHER = 7;
  public static final int UNKNOWN_MANDATORY_AVP = 8;

  public ResultCode {
    if (errorCode < 0 && !message.isEmpty()) {
      throw new IllegalArgumentException("an error message needs an error code");
    }
  }

  public static ResultCode of(int result) {
    return new ResultCode(result, -1, "");
  }

  static ResultCode decode(byte[] value) {
    if (value.length < 2 || value.length == 3) {
      throw L2tpProtocolException.general(LENGTH_WRONG, "Result Code length " + value.length);
    }
    ByteReader r = new ByteReader(value);
    int result = r.u16();
    if (!r.hasRemaining()) {
      return of(result);
    }
    int error = r.u16();
    return new ResultCode(result, error, new String(r.rest(), StandardCharsets.UTF_8));
  }

  byte[] encode() {
    ByteWriter w = new ByteWriter(8);
    w.u16(result);
    if (errorCode >= 0) {
      w.u16(errorCode).bytes(message.getBytes(StandardCharsets.UTF_8));
    }
    return w.toByteArray();
  }
}
