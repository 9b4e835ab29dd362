package dev.coati.l2tp.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * IETF (vendor 0) attribute types of RFC 2661 section 4.4, with the value lengths each allows. An
 * open value type: unknown types are representable and {@link #isKnown()} tells them apart.
 */
public record AvpType(int code) {
  private record Info(String name, int min, int max) {}

  private static final Map<Integer, Info> INFO = new HashMap<>();
  private static final int ANY = Limits.MAX_AVP_VALUE;

  public static final AvpType MESSAGE_TYPE = named(0, "Message Type", 2, 2);
  public static final AvpType RESULT_CODE = named(1, "Result Code", 2, ANY);
  public static final AvpType PROTOCOL_VERSION = named(2, "Protocol Version", 2, 2);
  public static final AvpType FRAMING_CAPABILITIES = named(3, "Framing Capabilities", 4, 4);
  public static final AvpType BEARER_CAPABILITIES = named(4, "Bearer Capabilities", 4, 4);
  public static final AvpType TIE_BREAKER = named(5, "Tie Breaker", 8, 8);
  public static final AvpType FIRMWARE_REVISION = named(6, "Firmware Revision", 2, 2);
  public static final AvpType HOST_NAME = named(7, "Host Name", 1, ANY);
  public static final AvpType VENDOR_NAME = named(8, "Vendor Name", 0, ANY);
  public static final AvpType ASSIGNED_TUNNEL_ID = named(9, "Assigned Tunnel ID", 2, 2);
  public static final AvpType RECEIVE_WINDOW_SIZE = named(10, "Receive Window Size", 2, 2);
  public static final AvpType CHALLENGE = named(11, "Challenge", 1, ANY);
  public static final AvpType Q931_CAUSE_CODE = named(12, "Q.931 Cause Code", 3, ANY);
  public static final AvpType CHALLENGE_RESPONSE = named(13, "Challenge Response", 16, 16);
  public static final AvpType ASSIGNED_SESSION_ID = named(14, "Assigned Session ID", 2, 2);
  public static final AvpType CALL_SERIAL_NUMBER = named(15, "Call Serial Number", 4, 4);
  public static final AvpType MINIMUM_BPS = named(16, "Minimum BPS", 4, 4);
  public static final AvpType MAXIMUM_BPS = named(17, "Maximum BPS", 4, 4);
  public static final AvpType BEARER_TYPE = named(18, "Bearer Type", 4, 4);
  public static final AvpType FRAMING_TYPE = named(19, "Framing Type", 4, 4);
  public static final AvpType CALLED_NUMBER = named(21, "Called Number", 0, ANY);
  public static final AvpType CALLING_NUMBER = named(22, "Calling Number", 0, ANY);
  public static final AvpType SUB_ADDRESS = named(23, "Sub-Address", 0, ANY);
  public static final AvpType TX_CONNECT_SPEED = named(24, "(Tx) Connect Speed", 4, 4);
  public static final AvpType PHYSICAL_CHANNEL_ID = named(25, "Physical Channel ID", 4, 4);
  public static final AvpType INITIAL_RECEIVED_LCP_CONFREQ =
      named(26, "Initial LCP CONFREQ", 0, ANY);
  public static final AvpType LAST_SENT_LCP_CONFREQ = named(27, "Last Sent LCP CONFREQ", 0, ANY);
  public static final AvpType LAST_RECEIVED_LCP_CONFREQ =
      named(28, "Last Rcvd LCP CONFREQ", 0, ANY);
  public static final AvpType PROXY_AUTHEN_TYPE = named(29, "Proxy Authen Type", 2, 2);
  public static final AvpType PROXY_AUTHEN_NAME = named(30, "Proxy Authen Name", 0, ANY);
  public static final AvpType PROXY_AUTHEN_CHALLENGE = named(31, "Proxy Authen Challenge", 0, ANY);
  public static final AvpType PROXY_AUTHEN_ID = named(32, "Proxy Authen ID", 2, 2);
  public static final AvpType PROXY_AUTHEN_RESPONSE = named(33, "Proxy Authen Response", 0, ANY);
  public static final AvpType CALL_ERRORS = named(34, "Call Errors", 26, 26);
  public static final AvpType ACCM = named(35, "ACCM", 10, 10);
  public static final AvpType RANDOM_VECTOR = named(36, "Random Vector", 1, ANY);
  public static final AvpType PRIVATE_GROUP_ID = named(37, "Private Group ID", 0, ANY);
  public static final AvpType RX_CONNECT_SPEED = named(38, "Rx Connect Speed", 4, 4);
  public static final AvpType SEQUENCING_REQUIRED = named(39, "Sequencing Required", 0, 0);

  /**
   * The AVPs section 4.4 says "MUST NOT be hidden", plus Q.931 Cause Code and Call Serial Number,
   * which are never worth hiding and are kept plain to be safe.
   */
  private static final Set<AvpType> NEVER_HIDDEN =
      Set.of(
          MESSAGE_TYPE,
          RANDOM_VECTOR,
          RESULT_CODE,
          PROTOCOL_VERSION,
          TIE_BREAKER,
          HOST_NAME,
          RECEIVE_WINDOW_SIZE,
          Q931_CAUSE_CODE,
          CALL_SERIAL_NUMBER,
          SEQUENCING_REQUIRED);

  private static AvpType named(int code, String name, int min, int max) {
    INFO.put(code, new Info(name, min, max));
    return new AvpType(code);
  }

  public static AvpType valueOf(int code) {
    return new AvpType(code);
  }

  public boolean isKnown() {
    return INFO.containsKey(code);
  }

  /** Whether a sender may set the H bit on this type (section 4.3, the per-AVP rules of 4.4). */
  public boolean mayBeHidden() {
    return isKnown() && !NEVER_HIDDEN.contains(this);
  }

  /** Throws LENGTH_WRONG when a known type's value length is outside what the RFC allows. */
  void checkValueLength(int length) {
    Info i = INFO.get(code);
    if (i != null && (length < i.min() || length > i.max())) {
      throw L2tpProtocolException.general(
          ResultCode.LENGTH_WRONG, i.name() + " AVP value length " + length);
    }
  }

  @Override
  public String toString() {
    Info i = INFO.get(code);
    return i == null ? "AVP(" + code + ")" : i.name();
  }
}
