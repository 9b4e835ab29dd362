package dev.coati.radius;

/**
 * RADIUS codes and attribute numbers used by coati (RFC 2865, 2866, 2869, 3579, 2548, and 5176 for
 * Dynamic Authorization).
 */
public final class Radius {
  private Radius() {}

  // Codes (RFC 2865 section 3, RFC 2866 section 3).
  public static final int ACCESS_REQUEST = 1;
  public static final int ACCESS_ACCEPT = 2;
  public static final int ACCESS_REJECT = 3;
  public static final int ACCOUNTING_REQUEST = 4;
  public static final int ACCOUNTING_RESPONSE = 5;
  public static final int ACCESS_CHALLENGE = 11;

  // Dynamic Authorization codes (RFC 5176 section 2.3), to and from UDP port 3799.
  public static final int DISCONNECT_REQUEST = 40;
  public static final int DISCONNECT_ACK = 41;
  public static final int DISCONNECT_NAK = 42;
  public static final int COA_REQUEST = 43;
  public static final int COA_ACK = 44;
  public static final int COA_NAK = 45;
  public static final int DYNAMIC_AUTHORIZATION_PORT = 3799;

  // Attributes (RFC 2865 section 5, RFC 2866 section 5, RFC 2869).
  public static final int USER_NAME = 1;
  public static final int USER_PASSWORD = 2;
  public static final int CHAP_PASSWORD = 3;
  public static final int NAS_IP_ADDRESS = 4;
  public static final int NAS_PORT = 5;
  public static final int SERVICE_TYPE = 6;
  public static final int FRAMED_PROTOCOL = 7;
  public static final int FRAMED_IP_ADDRESS = 8;
  public static final int REPLY_MESSAGE = 18;
  public static final int STATE = 24;
  public static final int CLASS = 25;
  public static final int VENDOR_SPECIFIC = 26;
  public static final int SESSION_TIMEOUT = 27;
  public static final int IDLE_TIMEOUT = 28;
  public static final int CALLED_STATION_ID = 30;
  public static final int CALLING_STATION_ID = 31;
  public static final int NAS_IDENTIFIER = 32;
  public static final int PROXY_STATE = 33;
  public static final int ACCT_STATUS_TYPE = 40;
  public static final int ACCT_DELAY_TIME = 41;
  public static final int ACCT_INPUT_OCTETS = 42;
  public static final int ACCT_OUTPUT_OCTETS = 43;
  public static final int ACCT_SESSION_ID = 44;
  public static final int ACCT_AUTHENTIC = 45;
  public static final int ACCT_SESSION_TIME = 46;
  public static final int ACCT_INPUT_PACKETS = 47;
  public static final int ACCT_OUTPUT_PACKETS = 48;
  public static final int ACCT_TERMINATE_CAUSE = 49;
  public static final int ACCT_INPUT_GIGAWORDS = 52;
  public static final int ACCT_OUTPUT_GIGAWORDS = 53;
  public static final int EVENT_TIMESTAMP = 55;
  public static final int CHAP_CHALLENGE = 60;
  public static final int NAS_PORT_TYPE = 61;
  public static final int MESSAGE_AUTHENTICATOR = 80;
  public static final int ACCT_INTERIM_INTERVAL = 85;
  public static final int ERROR_CAUSE = 101;

  // Values.
  public static final int SERVICE_TYPE_FRAMED = 2;
  public static final int FRAMED_PROTOCOL_PPP = 1;
  public static final int NAS_PORT_TYPE_VIRTUAL = 5;
  public static final int ACCT_STATUS_START = 1;
  public static final int ACCT_STATUS_STOP = 2;
  public static final int ACCT_STATUS_INTERIM = 3;
  public static final int ACCT_STATUS_ACCOUNTING_ON = 7;
  public static final int ACCT_STATUS_ACCOUNTING_OFF = 8;
  public static final int ACCT_AUTHENTIC_RADIUS = 1;
  public static final int ACCT_AUTHENTIC_LOCAL = 2;

  // Error-Cause values (RFC 5176 section 3.5): 2xx success, 4xx the client's fault, 5xx ours.
  public static final int ERROR_RESIDUAL_CONTEXT_REMOVED = 201;
  public static final int ERROR_UNSUPPORTED_ATTRIBUTE = 401;
  public static final int ERROR_MISSING_ATTRIBUTE = 402;
  public static final int ERROR_NAS_IDENTIFICATION_MISMATCH = 403;
  public static final int ERROR_INVALID_REQUEST = 404;
  public static final int ERROR_UNSUPPORTED_SERVICE = 405;
  public static final int ERROR_UNSUPPORTED_EXTENSION = 406;
  public static final int ERROR_INVALID_ATTRIBUTE_VALUE = 407;
  public static final int ERROR_ADMINISTRATIVELY_PROHIBITED = 501;
  public static final int ERROR_SESSION_CONTEXT_NOT_FOUND = 503;
  public static final int ERROR_SESSION_CONTEXT_NOT_REMOVABLE = 504;
  public static final int ERROR_RESOURCES_UNAVAILABLE = 506;

  // Microsoft vendor-specific attributes (RFC 2548).
  public static final int VENDOR_MICROSOFT = 311;
  public static final int MS_CHAP_ERROR = 2;
  public static final int MS_CHAP_CHALLENGE = 11;
  public static final int MS_CHAP2_RESPONSE = 25;
  public static final int MS_CHAP2_SUCCESS = 26;

  /** The codes' names, for log lines. */
  public static String codeName(int code) {
    return switch (code) {
      case ACCESS_REQUEST -> "Access-Request";
      case ACCESS_ACCEPT -> "Access-Accept";
      case ACCESS_REJECT -> "Access-Reject";
      case ACCOUNTING_REQUEST -> "Accounting-Request";
      case ACCOUNTING_RESPONSE -> "Accounting-Response";
      case ACCESS_CHALLENGE -> "Access-Challenge";
      case DISCONNECT_REQUEST -> "Disconnect-Request";
      case DISCONNECT_ACK -> "Disconnect-ACK";
      case DISCONNECT_NAK -> "Disconnect-NAK";
      case COA_REQUEST -> "CoA-Request";
      case COA_ACK -> "CoA-ACK";
      case COA_NAK -> "CoA-NAK";
      default -> "code " + code;
    };
  }

  /** Error-Cause values as FreeRADIUS' dictionary spells them, for log lines. */
  public static String errorCauseName(int cause) {
    return switch (cause) {
      case ERROR_RESIDUAL_CONTEXT_REMOVED -> "Residual-Context-Removed";
      case ERROR_UNSUPPORTED_ATTRIBUTE -> "Unsupported-Attribute";
      case ERROR_MISSING_ATTRIBUTE -> "Missing-Attribute";
      case ERROR_NAS_IDENTIFICATION_MISMATCH -> "NAS-Identification-Mismatch";
      case ERROR_INVALID_REQUEST -> "Invalid-Request";
      case ERROR_UNSUPPORTED_SERVICE -> "Unsupported-Service";
      case ERROR_UNSUPPORTED_EXTENSION -> "Unsupported-Extension";
      case ERROR_INVALID_ATTRIBUTE_VALUE -> "Invalid-Attribute-Value";
      case ERROR_ADMINISTRATIVELY_PROHIBITED -> "Administratively-Prohibited";
      case ERROR_SESSION_CONTEXT_NOT_FOUND -> "Session-Context-Not-Found";
      case ERROR_SESSION_CONTEXT_NOT_REMOVABLE -> "Session-Context-Not-Removable";
      case ERROR_RESOURCES_UNAVAILABLE -> "Resources-Unavailable";
      default -> "Error-Cause " + cause;
    };
  }
}
