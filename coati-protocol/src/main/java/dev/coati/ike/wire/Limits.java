package dev.coati.ike.wire;

/** Hard caps applied while decoding (implementation constants, not from any RFC). */
public final class Limits {
  private Limits() {}

  public static final int MAX_MESSAGE_SIZE = 65535;
  public static final int MAX_PAYLOADS = 64;
  public static final int MAX_PROPOSALS = 64;
  public static final int MAX_TRANSFORMS = 128;
  public static final int MAX_ATTRIBUTES = 128;
  public static final int MAX_ATTRIBUTE_LENGTH = 4096;
  public static final int MAX_FRAGMENTS = 64;
  public static final int MAX_REASSEMBLED = 65535;
  public static final int MAX_SPIS = 256;
}
