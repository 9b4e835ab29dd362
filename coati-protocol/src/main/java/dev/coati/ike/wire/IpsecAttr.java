package dev.coati.ike.wire;

/** IPsec DOI SA attributes and ESP transform ids (RFC 2407 section 4.4.4 and 4.5, RFC 3947). */
public final class IpsecAttr {
  private IpsecAttr() {}

  public static final int SA_LIFE_TYPE = 1;
  public static final int SA_LIFE_DURATION = 2;
  public static final int GROUP_DESCRIPTION = 3;
  public static final int ENCAPSULATION_MODE = 4;
  public static final int AUTH_ALGORITHM = 5;
  public static final int KEY_LENGTH = 6;
  public static final int KEY_ROUNDS = 7;
  public static final int COMPRESS_DICT_SIZE = 8;
  public static final int COMPRESS_PRIVATE_ALG = 9;

  public static final int TUNNEL = 1;
  public static final int TRANSPORT = 2;
  public static final int UDP_TUNNEL = 3;
  public static final int UDP_TRANSPORT = 4;
  public static final int UDP_TUNNEL_DRAFT = 61443;
  public static final int UDP_TRANSPORT_DRAFT = 61444;

  public static final int ESP_DES = 2;
  public static final int ESP_3DES = 3;
  public static final int ESP_NULL = 11;
  public static final int ESP_AES_CBC = 12;
  public static final int ESP_AES_GCM_8 = 18;
  public static final int ESP_AES_GCM_12 = 19;
  public static final int ESP_AES_GCM_16 = 20;

  public static final int HMAC_MD5 = 1;
  public static final int HMAC_SHA1 = 2;
  public static final int HMAC_SHA2_256 = 5;
  public static final int HMAC_SHA2_384 = 6;
  public static final int HMAC_SHA2_512 = 7;

  public static final int KEY_IKE = 1;
}
