package dev.coati.ike.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * Notify message type: RFC 2408 section 3.14.1 errors (1-30), RFC 2407 section 4.6.3 status types,
 * RFC 3706 DPD.
 */
public record NotifyType(int code) {
  private static final Map<Integer, String> NAMES = new HashMap<>();

  public static final NotifyType INVALID_PAYLOAD_TYPE = named(1, "INVALID-PAYLOAD-TYPE");
  public static final NotifyType DOI_NOT_SUPPORTED = named(2, "DOI-NOT-SUPPORTED");
  public static final NotifyType SITUATION_NOT_SUPPORTED = named(3, "SITUATION-NOT-SUPPORTED");
  public static final NotifyType INVALID_COOKIE = named(4, "INVALID-COOKIE");
  public static final NotifyType INVALID_MAJOR_VERSION = named(5, "INVALID-MAJOR-VERSION");
  public static final NotifyType INVALID_MINOR_VERSION = named(6, "INVALID-MINOR-VERSION");
  public static final NotifyType INVALID_EXCHANGE_TYPE = named(7, "INVALID-EXCHANGE-TYPE");
  public static final NotifyType INVALID_FLAGS = named(8, "INVALID-FLAGS");
  public static final NotifyType INVALID_MESSAGE_ID = named(9, "INVALID-MESSAGE-ID");
  public static final NotifyType INVALID_PROTOCOL_ID = named(10, "INVALID-PROTOCOL-ID");
  public static final NotifyType INVALID_SPI = named(11, "INVALID-SPI");
  public static final NotifyType INVALID_TRANSFORM_ID = named(12, "INVALID-TRANSFORM-ID");
  public static final NotifyType ATTRIBUTES_NOT_SUPPORTED = named(13, "ATTRIBUTES-NOT-SUPPORTED");
  public static final NotifyType NO_PROPOSAL_CHOSEN = named(14, "NO-PROPOSAL-CHOSEN");
  public static final NotifyType BAD_PROPOSAL_SYNTAX = named(15, "BAD-PROPOSAL-SYNTAX");
  public static final NotifyType PAYLOAD_MALFORMED = named(16, "PAYLOAD-MALFORMED");
  public static final NotifyType INVALID_KEY_INFORMATION = named(17, "INVALID-KEY-INFORMATION");
  public static final NotifyType INVALID_ID_INFORMATION = named(18, "INVALID-ID-INFORMATION");
  public static final NotifyType INVALID_CERT_ENCODING = named(19, "INVALID-CERT-ENCODING");
  public static final NotifyType INVALID_CERTIFICATE = named(20, "INVALID-CERTIFICATE");
  public static final NotifyType CERT_TYPE_UNSUPPORTED = named(21, "CERT-TYPE-UNSUPPORTED");
  public static final NotifyType INVALID_CERT_AUTHORITY = named(22, "INVALID-CERT-AUTHORITY");
  public static final NotifyType INVALID_HASH_INFORMATION = named(23, "INVALID-HASH-INFORMATION");
  public static final NotifyType AUTHENTICATION_FAILED = named(24, "AUTHENTICATION-FAILED");
  public static final NotifyType INVALID_SIGNATURE = named(25, "INVALID-SIGNATURE");
  public static final NotifyType ADDRESS_NOTIFICATION = named(26, "ADDRESS-NOTIFICATION");
  public static final NotifyType NOTIFY_SA_LIFETIME = named(27, "NOTIFY-SA-LIFETIME");
  public static final NotifyType CERTIFICATE_UNAVAILABLE = named(28, "CERTIFICATE-UNAVAILABLE");
  public static final NotifyType UNSUPPORTED_EXCHANGE_TYPE = named(29, "UNSUPPORTED-EXCHANGE-TYPE");
  public static final NotifyType UNEQUAL_PAYLOAD_LENGTHS = named(30, "UNEQUAL-PAYLOAD-LENGTHS");
  public static final NotifyType CONNECTED = named(16384, "CONNECTED");
  public static final NotifyType RESPONDER_LIFETIME = named(24576, "RESPONDER-LIFETIME");
  public static final NotifyType REPLAY_STATUS = named(24577, "REPLAY-STATUS");
  public static final NotifyType INITIAL_CONTACT = named(24578, "INITIAL-CONTACT");
  public static final NotifyType R_U_THERE = named(36136, "R-U-THERE");
  public static final NotifyType R_U_THERE_ACK = named(36137, "R-U-THERE-ACK");

  private static NotifyType named(int code, String name) {
    NAMES.put(code, name);
    return new NotifyType(code);
  }

  public static NotifyType valueOf(int code) {
    return new NotifyType(code);
  }

  /** Error types are below 8192 (RFC 2408 section 3.14.1). */
  public boolean isError() {
    return code > 0 && code < 8192;
  }

  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "NOTIFY(" + code + ")");
  }
}
