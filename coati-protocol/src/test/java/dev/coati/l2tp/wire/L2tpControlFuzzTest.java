package dev.coati.l2tp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target: an L2TP control message and its AVPs as {@code L2tpTunnel.receive} sees them:
 * decoded and validated, hidden AVPs revealed with a tunnel secret, then every typed AVP read the
 * tunnel makes. Only {@link L2tpProtocolException} may escape; what decodes re-encodes to bytes
 * that decode to the same message.
 */
class L2tpControlFuzzTest {
  private static final byte[] SECRET = "fuzz-tunnel-secret".getBytes(StandardCharsets.UTF_8);

  @FuzzTest
  void decode(byte[] datagram) {
    ControlMessage m;
    try {
      m = ControlMessage.decode(datagram);
    } catch (L2tpProtocolException expected) {
      return;
    }
    byte[] once = m.encode();
    assertArrayEquals(once, ControlMessage.decode(once).encode());
    try {
      ControlMessage plain = m.reveal(SECRET);
      read(plain);
    } catch (L2tpProtocolException expected) {
      // a hidden AVP that does not reveal, or a typed value of the wrong length
    }
  }

  private static void read(ControlMessage m) {
    m.messageType();
    m.resultCode();
    m.hostName();
    m.assignedTunnelId();
    m.assignedSessionId();
    for (Avp a : m.avps()) {
      if (a.vendorId() != Avp.IETF) {
        continue;
      }
      AvpType t = a.avpType();
      if (t.equals(AvpType.PROTOCOL_VERSION)) {
        Avps.protocolVersion(a);
      } else if (t.equals(AvpType.Q931_CAUSE_CODE)) {
        Avps.q931Cause(a);
      } else if (t.equals(AvpType.RESULT_CODE)) {
        Avps.resultCode(a);
      }
      a.text();
    }
  }
}
