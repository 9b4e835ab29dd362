package dev.coati.l2tp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: an L2TP data message header (optional Length, Ns/Nr, Offset) and its PPP payload.
 * Only {@link L2tpProtocolException} may escape; a decoded message re-encodes to one that decodes
 * to the same payload.
 */
class L2tpDataFuzzTest {
  @FuzzTest
  void decode(byte[] datagram) {
    DataMessage m;
    try {
      m = DataMessage.decode(datagram);
    } catch (L2tpProtocolException expected) {
      return;
    }
    assertArrayEquals(m.payload(), DataMessage.decode(m.encode()).payload());
  }
}
