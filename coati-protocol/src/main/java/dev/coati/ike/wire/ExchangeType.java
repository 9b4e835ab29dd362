package dev.coati.ike.wire;

import java.util.Map;

/** ISAKMP exchange type (RFC 2408 section 3.1, RFC 2409 Appendix A). */
public record ExchangeType(int code) {
  public static final ExchangeType BASE = new ExchangeType(1);
  public static final ExchangeType IDENTITY_PROTECTION = new ExchangeType(2);
  public static final ExchangeType AUTH_ONLY = new ExchangeType(3);
  public static final ExchangeType AGGRESSIVE = new ExchangeType(4);
  public static final ExchangeType INFORMATIONAL = new ExchangeType(5);
  public static final ExchangeType TRANSACTION = new ExchangeType(6);
  public static final ExchangeType QUICK_MODE = new ExchangeType(32);
  public static final ExchangeType NEW_GROUP = new ExchangeType(33);

  private static final Map<Integer, String> NAMES =
      Map.of(
          1, "BASE",
          2, "ID_PROT",
          3, "AUTH_ONLY",
          4, "AGGRESSIVE",
          5, "INFORMATIONAL",
          6, "TRANSACTION",
          32, "QUICK_MODE",
          33, "NEW_GROUP");

  public static ExchangeType valueOf(int code) {
    return new ExchangeType(code);
  }

  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "EXCHANGE(" + code + ")");
  }
}
