package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.PeerAddress;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidSpiNotifierTest {
  record Sent(PeerAddress from, PeerAddress to, byte[] datagram) {}

  final List<Sent> sent = new ArrayList<>();
  long now = 1_000_000;
  final InvalidSpiNotifier n =
      new InvalidSpiNotifier(
          (from, to, d) -> sent.add(new Sent(from, to, d)), RandomSource.secure(), () -> now);
  static final PeerAddress LOCAL = PeerAddress.ipv4(10, 97, 0, 1, 4500);

  @Test
  void unknownSpi_getsAnUnprotectedInvalidSpiNotify_fromTheIkePort() {
    n.unknownSpi(0xc0ffee01, new byte[] {10, 97, 0, 2}, 4500, true, LOCAL, 120);
    assertEquals(1, sent.size());
    Sent s = sent.get(0);
    assertEquals(LOCAL, s.from());
    assertEquals(PeerAddress.ipv4(10, 97, 0, 2, 4500), s.to());
    IsakmpHeader h = IsakmpCodec.peekHeader(s.datagram());
    assertEquals(ExchangeType.INFORMATIONAL, h.exchangeType());
    assertEquals(0, h.flags(), "not encrypted");
    assertEquals(0, h.responderSpi());
    assertTrue(h.initiatorSpi() != 0);
    NotifyPayload np =
        (NotifyPayload)
            IsakmpCodec.decodePayloads(
                    h.nextPayload(),
                    s.datagram(),
                    IsakmpHeader.SIZE,
                    s.datagram().length - IsakmpHeader.SIZE)
                .payloads()
                .get(0);
    assertEquals(NotifyType.INVALID_SPI, np.notifyType());
    assertEquals(ProtocolId.IPSEC_ESP, np.protocolId());
    assertEquals(List.of((byte) 0xc0, (byte) 0xff, (byte) 0xee, (byte) 0x01), bytes(np.spi()));
    assertTrue(s.datagram().length + 4 <= 120, "no amplification");
    // raw ESP is answered on port 500
    now += 5000;
    n.unknownSpi(7, new byte[] {10, 97, 0, 3}, 0, false, LOCAL.withPort(500), 120);
    assertEquals(PeerAddress.ipv4(10, 97, 0, 3, 500), sent.get(1).to());
  }

  @Test
  void rateLimited_perSourceAndInAll_andNeverLargerThanWhatCame() {
    for (int i = 0; i < 100; i++) {
      n.unknownSpi(1, new byte[] {10, 97, 0, 2}, 4500, true, LOCAL, 120);
    }
    assertEquals(1, sent.size(), "one a second per source");
    now += 1000;
    n.unknownSpi(1, new byte[] {10, 97, 0, 2}, 4500, true, LOCAL, 120);
    assertEquals(2, sent.size());
    now += 1000;
    for (int i = 0; i < 1000; i++) {
      n.unknownSpi(1, new byte[] {10, 98, (byte) (i >> 8), (byte) i}, 4500, true, LOCAL, 120);
    }
    assertEquals(2 + InvalidSpiNotifier.GLOBAL_PER_SECOND, sent.size());
    now += 1000;
    n.unknownSpi(1, new byte[] {10, 99, 0, 1}, 4500, true, LOCAL, 30);
    assertEquals(2 + InvalidSpiNotifier.GLOBAL_PER_SECOND, sent.size(), "a tiny packet: no answer");
    assertTrue(n.suppressed() > 1000);
  }

  static List<Byte> bytes(byte[] b) {
    List<Byte> out = new ArrayList<>();
    for (byte x : b) {
      out.add(x);
    }
    return out;
  }
}
