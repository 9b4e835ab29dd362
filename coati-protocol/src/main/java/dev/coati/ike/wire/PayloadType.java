package dev.coati.ike.wire;

import java.util.Map;

/** ISAKMP payload type (RFC 2408 section 3.1, RFC 3947, draft numbers 130/131, Cisco 132). */
public record PayloadType(int code) {
  public static final PayloadType NONE = new PayloadType(0);
  public static final PayloadType SA = new PayloadType(1);
  public static final PayloadType PROPOSAL = new PayloadType(2);
  public static final PayloadType TRANSFORM = new PayloadType(3);
  public static final PayloadType KE = new PayloadType(4);
  public static final PayloadType ID = new PayloadType(5);
  public static final PayloadType CERT = new PayloadType(6);
  public static final PayloadType CERTREQ = new PayloadType(7);
  public static final PayloadType HASH = new PayloadType(8);
  public static final PayloadType SIG = new PayloadType(9);
  public static final PayloadType NONCE = new PayloadType(10);
  public static final PayloadType NOTIFY = new PayloadType(11);
  public static final PayloadType DELETE = new PayloadType(12);
  public static final PayloadType VENDOR_ID = new PayloadType(13);
  public static final PayloadType ATTRIBUTE = new PayloadType(14);
  public static final PayloadType NAT_D = new PayloadType(20);
  public static final PayloadType NAT_OA = new PayloadType(21);
  public static final PayloadType NAT_D_DRAFT = new PayloadType(130);
  public static final PayloadType NAT_OA_DRAFT = new PayloadType(131);
  public static final PayloadType FRAGMENT = new PayloadType(132);

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0, "NONE"),
          Map.entry(1, "SA"),
          Map.entry(2, "PROPOSAL"),
          Map.entry(3, "TRANSFORM"),
          Map.entry(4, "KE"),
          Map.entry(5, "ID"),
          Map.entry(6, "CERT"),
          Map.entry(7, "CERTREQ"),
          Map.entry(8, "HASH"),
          Map.entry(9, "SIG"),
          Map.entry(10, "NONCE"),
          Map.entry(11, "N"),
          Map.entry(12, "D"),
          Map.entry(13, "VID"),
          Map.entry(14, "ATTR"),
          Map.entry(20, "NAT-D"),
          Map.entry(21, "NAT-OA"),
          Map.entry(130, "NAT-D(draft)"),
          Map.entry(131, "NAT-OA(draft)"),
          Map.entry(132, "FRAG"));

  /** Never throws: unknown codes are kept as they are. */
  public static PayloadType valueOf(int code) {
    return new PayloadType(code);
  }

  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "PAYLOAD(" + code + ")");
  }
}
