package dev.coati.ike.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: a whole plaintext ISAKMP datagram, as {@code ExchangeManager} first sees it. Only
 * {@link IkeProtocolException} may escape; what decodes re-encodes to a message that decodes to the
 * same bytes again (one normalisation, then a fixed point).
 */
class IsakmpMessageFuzzTest {
  @FuzzTest
  void decode(byte[] datagram) {
    IsakmpMessage m;
    try {
      IsakmpCodec.peekHeader(datagram);
      m = IsakmpMessage.decode(datagram);
    } catch (IkeProtocolException expected) {
      return;
    }
    byte[] once = m.encode();
    assertArrayEquals(once, IsakmpMessage.decode(once).encode());
  }
}
