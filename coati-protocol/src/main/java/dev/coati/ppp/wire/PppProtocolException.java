package dev.coati.ppp.wire;

/**
 * The one error of the PPP codecs: a malformed frame, control packet or option. The receiver
 * answers with a Code-Reject or Protocol-Reject or silently discards (RFC 1661 section 5.6/5.7); it
 * never takes the session down.
 */
public class PppProtocolException extends RuntimeException {
  public PppProtocolException(String message) {
    super(message);
  }
}
