package dev.coati.ike.wire;

/** Phase-1 attribute classes and values (RFC 2409 Appendix A; Xauth and hybrid draft values). */
public final class IkeAttr {
  private IkeAttr() {}

  public static final int ENCRYPTION_ALGORITHM = 1;
  public static final int HASH_ALGORITHM = 2;
  public static final int AUTH_METHOD = 3;
  public static final int GROUP_DESCRIPTION = 4;
  public static final int GROUP_TYPE = 5;
  public static final int GROUP_PRIME = 6;
  public static final int GROUP_GEN1 = 7;
  public static final int GROUP_GEN2 = 8;
  public static final int GROUP_CURVE_A = 9;
  public static final int GROUP_CURVE_B = 10;
  public static final int LIFE_TYPE = 11;
  public static final int LIFE_DURATION = 12;
  public static final int PRF = 13;
  public static final int KEY_LENGTH = 14;
  public static final int FIELD_SIZE = 15;
  public static final int GROUP_ORDER = 16;

  public static final int LIFE_SECONDS = 1;
  public static final int LIFE_KILOBYTES = 2;

  public static final int PSK = 1;
  public static final int DSS_SIG = 2;
  public static final int RSA_SIG = 3;
  public static final int RSA_ENC = 4;
  public static final int RSA_ENC_REV = 5;
  public static final int ECDSA_256 = 9;
  public static final int ECDSA_384 = 10;
  public static final int ECDSA_521 = 11;
  public static final int HYBRID_INIT_RSA = 64221;
  public static final int HYBRID_RESP_RSA = 64222;
  public static final int HYBRID_INIT_DSS = 64223;
  public static final int HYBRID_RESP_DSS = 64224;
  public static final int XAUTH_INIT_PSK = 65001;
  public static final int XAUTH_RESP_PSK = 65002;
  public static final int XAUTH_INIT_DSS = 65003;
  public static final int XAUTH_RESP_DSS = 65004;
  public static final int XAUTH_INIT_RSA = 65005;
  public static final int XAUTH_RESP_RSA = 65006;
  public static final int XAUTH_INIT_RSA_ENC = 65007;
  public static final int XAUTH_RESP_RSA_ENC = 65008;
  public static final int XAUTH_INIT_RSA_REV = 65009;
  public static final int XAUTH_RESP_RSA_REV = 65010;
}
