package dev.coati.ike.wire;

/** Identification type (RFC 2407 section 4.6.2.1). */
public record IdType(int code) {
  public static final IdType IPV4_ADDR = new IdType(1);
  public static final IdType FQDN = new IdType(2);
  public static final IdType USER_FQDN = new IdType(3);
  public static final IdType IPV4_ADDR_SUBNET = new IdType(4);
  public static final IdType IPV6_ADDR = new IdType(5);
  public static final IdType IPV6_ADDR_SUBNET = new IdType(6);
  public static final IdType IPV4_ADDR_RANGE = new IdType(7);
  public static final IdType IPV6_ADDR_RANGE = new IdType(8);
  public static final IdType DER_ASN1_DN = new IdType(9);
  public static final IdType DER_ASN1_GN = new IdType(10);
  public static final IdType KEY_ID = new IdType(11);

  private static final String[] NAMES = {
    null,
    "ID_IPV4_ADDR",
    "ID_FQDN",
    "ID_USER_FQDN",
    "ID_IPV4_ADDR_SUBNET",
    "ID_IPV6_ADDR",
    "ID_IPV6_ADDR_SUBNET",
    "ID_IPV4_ADDR_RANGE",
    "ID_IPV6_ADDR_RANGE",
    "ID_DER_ASN1_DN",
    "ID_DER_ASN1_GN",
    "ID_KEY_ID"
  };

  public static IdType valueOf(int code) {
    return new IdType(code);
  }

  @Override
  public String toString() {
    return code > 0 && code < NAMES.length ? NAMES[code] : "ID(" + code + ")";
  }
}
