package dev.coati.l2tp.wire;

import java.util.HashMap;
import java.util.Map;

/** Control message type, the value of the Message Type AVP (RFC 2661 section 3.2). */
public record MessageType(int code) {
  private static final Map<Integer, String> NAMES = new HashMap<>();

  public static final MessageType SCCRQ = named(1, "SCCRQ");
  public static final MessageType SCCRP = named(2, "SCCRP");
  public static final MessageType SCCCN = named(3, "SCCCN");
  public static final MessageType STOP_CCN = named(4, "StopCCN");
  public static final MessageType HELLO = named(6, "HELLO");
  public static final MessageType OCRQ = named(7, "OCRQ");
  public static final MessageType OCRP = named(8, "OCRP");
  public static final MessageType OCCN = named(9, "OCCN");
  public static final MessageType ICRQ = named(10, "ICRQ");
  public static final MessageType ICRP = named(11, "ICRP");
  public static final MessageType ICCN = named(12, "ICCN");
  public static final MessageType CDN = named(14, "CDN");
  public static final MessageType WEN = named(15, "WEN");
  public static final MessageType SLI = named(16, "SLI");

  private static MessageType named(int code, String name) {
    NAMES.put(code, name);
    return new MessageType(code);
  }

  public static MessageType valueOf(int code) {
    return new MessageType(code);
  }

  public boolean isKnown() {
    return NAMES.containsKey(code);
  }

  /** Call management messages concern one session (answered with CDN rather than StopCCN). */
  public boolean isSessionMessage() {
    return code >= 7 && code <= 16;
  }

  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "MSG(" + code + ")");
  }
}
