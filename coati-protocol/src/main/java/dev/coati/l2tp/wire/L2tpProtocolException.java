package dev.coati.l2tp.wire;

/**
 * The one exception L2TP decoders throw. It carries the Result Code and Error Code (RFC 2661
 * section 4.4.2) to answer with in a StopCCN or CDN; result code 0 means "discard silently, send
 * nothing" (RFC 2661 section 3.1: an unknown version, a malformed header).
 */
public final class L2tpProtocolException extends RuntimeException {
  /** General request to clear: not an error answer; used here as "discard silently". */
  public static final int DISCARD = 0;

  private final int resultCode;
  private final int errorCode;

  public L2tpProtocolException(int resultCode, int errorCode, String message) {
    super(message);
    this.resultCode = resultCode;
    this.errorCode = errorCode;
  }

  public static L2tpProtocolException discard(String message) {
    return new L2tpProtocolException(DISCARD, ResultCode.NO_GENERAL_ERROR, message);
  }

  /** Result code 2 (general error) with the given error code. */
  public static L2tpProtocolException general(int errorCode, String message) {
    return new L2tpProtocolException(ResultCode.GENERAL_ERROR, errorCode, message);
  }

  public int resultCode() {
    return resultCode;
  }

  public int errorCode() {
    return errorCode;
  }

  /** True when the packet is to be dropped without any answer. */
  public boolean silentDiscard() {
    return resultCode == DISCARD;
  }
}
