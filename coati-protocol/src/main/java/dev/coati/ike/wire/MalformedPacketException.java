package dev.coati.ike.wire;

/** A message that cannot be parsed; answered (if at all) with PAYLOAD-MALFORMED by default. */
public final class MalformedPacketException extends IkeProtocolException {
  public MalformedPacketException(String message) {
    super(NotifyType.PAYLOAD_MALFORMED, message);
  }

  public MalformedPacketException(NotifyType type, String message) {
    super(type, message);
  }
}
