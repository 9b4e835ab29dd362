package dev.coati.ppp.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for the PPP wire decoders: the first byte picks the decoder (frame header, LCP or
 * IPCP Configure packet with its options, PAP, CHAP / MS-CHAPv2), the rest is the input. Only
 * {@link PppProtocolException} may escape; what decodes re-encodes.
 */
class PppPacketFuzzTest {
  @FuzzTest
  void decode(byte[] input) {
    if (input.length < 1) {
      return;
    }
    byte[] b = Arrays.copyOfRange(input, 1, input.length);
    try {
      switch ((input[0] & 0xff) % 5) {
        case 0 -> PppFrame.decode(b).encode();
        case 1 -> lcp(ControlPacket.decode(b));
        case 2 -> ipcp(ControlPacket.decode(b));
        case 3 -> PapPacket.decode(b).encode();
        default -> ChapPacket.decode(b).encode();
      }
    } catch (PppProtocolException expected) {
      // the documented parse failure
    }
  }

  private static void lcp(ControlPacket p) {
    p.encode();
    if (p.code() == ControlPacket.PROTOCOL_REJECT) {
      p.rejectedProtocol();
    }
    if (p.code() >= ControlPacket.ECHO_REQUEST && p.code() <= ControlPacket.DISCARD_REQUEST) {
      p.magicNumber();
    }
    if (!p.isConfigure()) {
      return;
    }
    for (PppOption o : p.options()) {
      switch (o.type()) {
        case LcpOptions.MRU -> LcpOptions.mruOf(o);
        case LcpOptions.MAGIC_NUMBER -> LcpOptions.magicOf(o);
        default -> AuthProtocol.of(o);
      }
    }
  }

  private static void ipcp(ControlPacket p) {
    if (!p.isConfigure()) {
      return;
    }
    for (PppOption o : p.options()) {
      if (o.data().length == 4) {
        IpcpOptions.addressOf(o);
      }
    }
  }
}
