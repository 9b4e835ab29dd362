package dev.coati.ppp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coati.util.ByteWriter;
import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PppWireTest {
  /** Windows' first LCP Configure-Request: MRU 1400, Magic, PFC, ACFC, Callback CBCP. */
  static final String WINDOWS_LCP =
      "ff03c021" + "01010015" + "0104057805061122334407020802" + "0d0306";

  @Test
  void windowsConfigureRequestKnownAnswer() {
    PppFrame f = PppFrame.decode(Hex.decode(WINDOWS_LCP));
    assertEquals(PppProtocol.LCP, f.protocol());
    ControlPacket p = ControlPacket.decode(f.information());
    assertEquals(ControlPacket.CONFIGURE_REQUEST, p.code());
    List<PppOption> o = p.options();
    assertEquals(
        List.of(
            LcpOptions.mru(1400),
            LcpOptions.magicNumber(0x11223344L),
            LcpOptions.pfc(),
            LcpOptions.acfc(),
            LcpOptions.callback(LcpOptions.CALLBACK_CBCP)),
        o);
    assertEquals(1400, LcpOptions.mruOf(o.get(0)));
    assertEquals(0x11223344L, LcpOptions.magicOf(o.get(1)));
  }

  @Test
  void acfcAndPfcAccepted() {
    byte[] info = {1, 2, 3};
    PppFrame full = PppFrame.decode(Hex.decode("ff030021010203"));
    assertEquals(new PppFrame(PppProtocol.IPV4, info), full);
    assertEquals(full, PppFrame.decode(Hex.decode("0021010203")));
    assertEquals(full, PppFrame.decode(Hex.decode("21010203")));
    assertEquals(full, PppFrame.decode(Hex.decode("ff0321010203")));
    assertArrayEquals(Hex.decode("ff030021010203"), full.encode());
    assertThrows(PppProtocolException.class, () -> PppFrame.decode(Hex.decode("c022")));
    assertThrows(PppProtocolException.class, () -> PppFrame.decode(Hex.decode("ff03c0")));
  }

  @Test
  void controlPacketPaddingIgnoredAndSwappedLengthAccepted() {
    ControlPacket p = ControlPacket.decode(Hex.decode("0907000811223344eeee"));
    assertEquals(0x11223344L, p.magicNumber());
    assertEquals(4, p.data().length);
    assertEquals(p, ControlPacket.decode(Hex.decode("0907080011223344")));
    assertThrows(PppProtocolException.class, () -> ControlPacket.decode(Hex.decode("09070003")));
    assertThrows(PppProtocolException.class, () -> ControlPacket.decode(Hex.decode("0907")));
  }

  @Test
  void optionsRoundTrip() {
    List<PppOption> lcp =
        List.of(
            LcpOptions.mru(1400),
            LcpOptions.accm(0),
            AuthProtocol.MSCHAPV2.option(),
            AuthProtocol.CHAP_MD5.option(),
            AuthProtocol.PAP.option(),
            LcpOptions.magicNumber(0xfedcba98L),
            LcpOptions.pfc(),
            LcpOptions.acfc(),
            LcpOptions.callback(6));
    ControlPacket p = ControlPacket.withOptions(ControlPacket.CONFIGURE_REQUEST, 9, lcp);
    assertEquals(lcp, ControlPacket.decode(p.encode()).options());
    assertArrayEquals(Hex.decode("0305c22381"), encode(AuthProtocol.MSCHAPV2.option()));
    assertArrayEquals(Hex.decode("0304c023"), encode(AuthProtocol.PAP.option()));
    assertEquals(Optional.of(AuthProtocol.CHAP_MD5), AuthProtocol.of(lcp.get(3)));
    assertEquals(Optional.empty(), AuthProtocol.of(new PppOption(3, Hex.decode("c22380"))));
    Ipv4Address a = Ipv4Address.parse("10.9.0.7");
    PppOption dns = IpcpOptions.address(IpcpOptions.SECONDARY_DNS, a);
    assertArrayEquals(Hex.decode("83060a090007"), encode(dns));
    assertEquals(a, IpcpOptions.addressOf(dns));
    assertThrows(PppProtocolException.class, () -> LcpOptions.mruOf(LcpOptions.pfc()));
  }

  @Test
  void rejectsCarryTheOffendingProtocolAndPacket() {
    PppFrame ccp = new PppFrame(PppProtocol.CCP, Hex.decode("0101000a120601000001"));
    ControlPacket pr = ControlPacket.protocolReject(3, ccp, 1500);
    assertEquals(PppProtocol.CCP, pr.rejectedProtocol());
    assertArrayEquals(Hex.decode("80fd0101000a120601000001"), pr.data());
    assertEquals(10, ControlPacket.protocolReject(3, ccp, 10).encodedLength());
    ControlPacket cr = ControlPacket.codeReject(4, Hex.decode("0e01000400"), 1500);
    assertArrayEquals(Hex.decode("0e01000400"), cr.data());
  }

  @Test
  void papAndChapRoundTrip() {
    PapPacket req = PapPacket.request(1, "alice".getBytes(), "secret".getBytes());
    assertArrayEquals(Hex.decode("0101001105616c69636506736563726574"), req.encode());
    assertEquals(req, PapPacket.decode(req.encode()));
    PapPacket nak = PapPacket.reply(false, 1, "no".getBytes());
    assertEquals(nak, PapPacket.decode(nak.encode()));
    byte[] challenge = new byte[16];
    Arrays.fill(challenge, (byte) 7);
    ChapPacket c = ChapPacket.challenge(ChapPacket.CHALLENGE, 2, challenge, "coati".getBytes());
    assertEquals(c, ChapPacket.decode(c.encode()));
    assertEquals(4 + 1 + 16 + 5, c.encode().length);
    ChapPacket f = ChapPacket.result(false, 2, "E=691 R=0 V=3".getBytes());
    assertEquals(f, ChapPacket.decode(f.encode()));
    assertThrows(PppProtocolException.class, () -> PapPacket.decode(Hex.decode("0101000605")));
    assertThrows(PppProtocolException.class, () -> ChapPacket.decode(Hex.decode("01020005ff")));
    assertThrows(PppProtocolException.class, () -> ChapPacket.decode(Hex.decode("05020004")));
  }

  @Test
  void truncationAndBitFlipsOnlyThrowPppProtocolException() {
    ControlPacket lcp = ControlPacket.decode(Hex.decode(WINDOWS_LCP.substring(8)));
    byte[][] samples = {
      Hex.decode(WINDOWS_LCP),
      PapPacket.request(1, "bob".getBytes(), "pw".getBytes()).encode(),
      ChapPacket.challenge(2, 5, new byte[49], "bob".getBytes()).encode(),
      ControlPacket.withOptions(
              1, 1, List.of(IpcpOptions.ipAddress(IpcpOptions.UNSPECIFIED), LcpOptions.pfc()))
          .encode(),
      lcp.encode()
    };
    List<Function<byte[], Object>> decoders =
        List.of(
            PppFrame::decode,
            b -> ControlPacket.decode(b).options(),
            PapPacket::decode,
            ChapPacket::decode);
    RandomSource rnd = RandomSource.deterministic(42);
    for (byte[] s : samples) {
      for (Function<byte[], Object> d : decoders) {
        for (int n = 0; n < s.length; n++) {
          tolerate(d, Arrays.copyOf(s, n));
        }
        for (int i = 0; i < 300; i++) {
          byte[] m = s.clone();
          int bit = Math.floorMod(java.nio.ByteBuffer.wrap(rnd.bytes(4)).getInt(), m.length * 8);
          m[bit / 8] ^= (byte) (1 << (bit % 8));
          tolerate(d, m);
        }
      }
    }
  }

  private static void tolerate(Function<byte[], Object> d, byte[] b) {
    try {
      d.apply(b);
    } catch (PppProtocolException expected) {
      // the only allowed failure
    }
  }

  private static byte[] encode(PppOption o) {
    ByteWriter w = new ByteWriter();
    o.encode(w);
    return w.toByteArray();
  }
}
