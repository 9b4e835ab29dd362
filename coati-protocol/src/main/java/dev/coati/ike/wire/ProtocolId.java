package dev.coati.ike.wire;

/** Protocol identifier (RFC 2407 section 4.4.1). */
public record ProtocolId(int code) {
  public static final ProtocolId ISAKMP = new ProtocolId(1);
  public static final ProtocolId IPSEC_AH = new ProtocolId(2);
  public static final ProtocolId IPSEC_ESP = new ProtocolId(3);
  public static final ProtocolId IPCOMP = new ProtocolId(4);

  public static ProtocolId valueOf(int code) {
    return new ProtocolId(code);
  }

  @Override
  public String toString() {
    return switch (code) {
      case 1 -> "ISAKMP";
      case 2 -> "AH";
      case 3 -> "ESP";
      case 4 -> "IPCOMP";
      default -> "PROTO(" + code + ")";
    };
  }
}
