package dev.coati.l2tp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.util.ByteReader;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer target: control datagrams from one LAC into an {@link L2tpTunnel} (the LNS side, with a
 * tunnel secret that may hide AVPs and need not be required), the first byte choosing the tunnel's
 * security. The rest is a list of records {@code [u16 length][datagram]}; a record of length 0 lets
 * 30 s pass (retransmits, HELLO). {@link L2tpTunnel#receive} and {@code tick} never throw, and
 * everything the tunnel sends decodes as a control message.
 */
class L2tpTunnelFuzzTest {
  private static final byte[] SECRET = "fuzz-tunnel-secret".getBytes(StandardCharsets.UTF_8);

  private static final L2tpTunnel.Events EVENTS =
      new L2tpTunnel.Events() {
        @Override
        public void sessionUp(int ourSessionId, int peerSessionId) {}

        @Override
        public void sessionDown(int ourSessionId, String reason) {}

        @Override
        public void tunnelDown(String reason) {}
      };

  @FuzzTest
  void receive(byte[] input) {
    if (input.length < 1) {
      return;
    }
    TunnelSecurity security =
        (input[0] & 1) == 0
            ? TunnelSecurity.NONE
            : TunnelSecurity.withSecret(
                SECRET, (input[0] & 2) != 0, (input[0] & 4) != 0, RandomSource.deterministic(3));
    L2tpTunnel t =
        new L2tpTunnel(77, "coati", EVENTS, 60_000, ControlChannel.Config.DEFAULT, security);
    ByteReader r = new ByteReader(input, 1, input.length - 1);
    long now = 1_000;
    for (int records = 0; r.remaining() >= 2 && records < 32; records++) {
      int len = Math.min(r.u16(), r.remaining());
      List<byte[]> out;
      if (len == 0) {
        now += 30_000;
        out = t.tick(now);
      } else {
        out = t.receive(r.bytes(len), now);
      }
      for (byte[] d : out) {
        ControlMessage.decode(d);
      }
    }
  }
}
