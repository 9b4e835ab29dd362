package dev.coati.l2tp.wire;

/** Hard caps applied while decoding (implementation constants, not from any RFC). */
public final class Limits {
  private Limits() {}

  /** The AVP Length field is 10 bits: at most 1023 bytes including the 6-byte AVP header. */
  public static final int MAX_AVP_LENGTH = 1023;

  public static final int MAX_AVP_VALUE = MAX_AVP_LENGTH - Avp.HEADER_LENGTH;

  /** More AVPs than any RFC 2661 message carries; a longer list is refused. */
  public static final int MAX_AVPS = 64;

  public static final int MAX_MESSAGE_SIZE = 65535;
}
