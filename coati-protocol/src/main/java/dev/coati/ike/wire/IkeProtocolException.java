package dev.coati.ike.wire;

/** A protocol error carrying the notify type to answer with (Bouncy Castle's TlsFatalAlert). */
public class IkeProtocolException extends RuntimeException {
  private final NotifyType notifyType;

  public IkeProtocolException(NotifyType notifyType, String message) {
    super(message);
    this.notifyType = notifyType;
  }

  public NotifyType notifyType() {
    return notifyType;
  }
}
