package dev.coati.ike.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.Hex;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IsakmpCodecTest {

  @Test
  void everyPayload_roundTrips() {
    for (Payload p : Samples.all()) {
      byte[] chain = IsakmpCodec.encodePayloads(List.of(p));
      IsakmpCodec.DecodedBody back = IsakmpCodec.decodePayloads(p.type(), chain, 0, chain.length);
      assertEquals(List.of(p), back.payloads(), p.type().toString());
      assertArrayEquals(chain, IsakmpCodec.encodePayloads(back.payloads()), p.type().toString());
      assertEquals(4 + p.bodyLength(), chain.length);
    }
  }

  @Test
  void wholeMessage_roundTripsByteIdentically() {
    byte[] m = Samples.message();
    IsakmpMessage decoded = IsakmpMessage.decode(m);
    assertEquals(Samples.all(), decoded.payloads());
    assertArrayEquals(m, decoded.encode());
    assertEquals(m.length, decoded.header().length());
  }

  @Test
  void attributes_keepFormAndOrder() {
    SaPayload sa = Samples.sa();
    Transform t = sa.proposals().get(0).transforms().get(0);
    assertEquals(IkeAttr.LIFE_DURATION, t.attributes().get(0).type());
    assertEquals(86400, t.attribute(IkeAttr.LIFE_DURATION).orElseThrow().longValue());
    assertEquals(false, t.attributes().get(0).tv(), "86400 needs the TLV form");
    assertArrayEquals(Hex.decode("deadbeef00"), t.attribute(16000).orElseThrow().value());
    // a TLV carrying a small value is kept as TLV (some peers send lifetimes that way)
    Attribute odd = Attribute.tlv(IkeAttr.LIFE_DURATION, Hex.decode("00000e10"));
    ByteWriter w = new ByteWriter();
    odd.encode(w);
    Attribute back = Attribute.decode(new ByteReader(w.toByteArray()));
    assertEquals(odd, back);
    assertEquals(3600, back.longValue());
  }

  @Test
  void decryptedBody_trailingPaddingIsIgnored_andOffsetsRecorded() {
    List<Payload> ps = List.of(new HashPayload(new byte[20]), new NoncePayload(new byte[16]));
    byte[] chain = IsakmpCodec.encodePayloads(ps);
    byte[] padded = Arrays.copyOf(chain, chain.length + 7);
    IsakmpCodec.DecodedBody b =
        IsakmpCodec.decodePayloads(PayloadType.HASH, padded, 0, padded.length);
    assertEquals(ps, b.payloads());
    assertEquals(chain.length, b.end());
    assertEquals(24, b.starts()[1]);
    assertArrayEquals(Arrays.copyOfRange(chain, 24, chain.length), b.bytesFrom(1));
  }

  @Test
  void header_rejectsWrongVersionAndLength() {
    byte[] m = Samples.message();
    byte[] v2 = m.clone();
    v2[17] = 0x20;
    IkeProtocolException e =
        assertThrows(IkeProtocolException.class, () -> IsakmpCodec.peekHeader(v2));
    assertEquals(NotifyType.INVALID_MAJOR_VERSION, e.notifyType());
    byte[] longer = m.clone();
    longer[27]++;
    assertThrows(MalformedPacketException.class, () -> IsakmpCodec.peekHeader(longer));
    assertThrows(MalformedPacketException.class, () -> IsakmpCodec.peekHeader(new byte[27]));
  }

  @Test
  void caps_payloadCountAndAttributeLength() {
    List<Payload> many =
        java.util.Collections.nCopies(Limits.MAX_PAYLOADS + 1, new VendorIdPayload(new byte[1]));
    byte[] chain = IsakmpCodec.encodePayloads(many);
    assertThrows(
        MalformedPacketException.class,
        () -> IsakmpCodec.decodePayloads(PayloadType.VENDOR_ID, chain, 0, chain.length));
    ByteWriter w = new ByteWriter();
    w.u16(5).u16(Limits.MAX_ATTRIBUTE_LENGTH + 1).zeros(Limits.MAX_ATTRIBUTE_LENGTH + 1);
    assertThrows(
        MalformedPacketException.class, () -> Attribute.decode(new ByteReader(w.toByteArray())));
  }

  /** Every strict prefix of a valid message is rejected with the typed exception. */
  @Test
  void truncation_everyPrefixRejected() {
    byte[] m = Samples.message();
    for (int n = 0; n < m.length; n++) {
      byte[] prefix = Arrays.copyOf(m, n);
      try {
        IsakmpMessage.decode(prefix);
        fail("prefix of " + n + " bytes decoded");
      } catch (IkeProtocolException expected) {
        // the only acceptable outcome
      }
    }
  }

  /** Flipping any bit of any byte yields a decode or a typed exception, never anything else. */
  @Test
  void mutation_everyByteEveryBit() {
    byte[] m = Samples.message();
    for (int i = 0; i < m.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] x = m.clone();
        x[i] ^= (byte) (1 << bit);
        decodeAnything(x);
      }
    }
  }

  static void decodeAnything(byte[] x) {
    try {
      IsakmpMessage.decode(x);
    } catch (IkeProtocolException e) {
      // typed: fine
    }
    try {
      IsakmpCodec.decodePayloads(PayloadType.SA, x, 0, x.length);
    } catch (IkeProtocolException e) {
      // typed: fine
    }
    try {
      IsakmpCodec.peekHeader(x);
    } catch (IkeProtocolException e) {
      // typed: fine
    }
  }

  @Property(tries = 3000)
  void anyBytes_onlyTypedExceptions(@ForAll @Size(max = 600) byte[] data) {
    decodeAnything(data);
    for (int type : new int[] {1, 5, 11, 12, 14, 21, 132}) {
      try {
        IsakmpCodec.decodePayloads(PayloadType.valueOf(type), data, 0, data.length);
      } catch (IkeProtocolException e) {
        // typed: fine
      }
    }
  }

  @Property(tries = 3000)
  void mutatedValidMessages_onlyTypedExceptions(@ForAll("mutations") byte[] data) {
    decodeAnything(data);
  }

  @Provide
  Arbitrary<byte[]> mutations() {
    byte[] m = Samples.message();
    return Arbitraries.integers()
        .between(0, m.length - 1)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8)
        .flatMap(
            positions ->
                Arbitraries.bytes()
                    .list()
                    .ofSize(positions.size())
                    .map(
                        values -> {
                          byte[] x = m.clone();
                          for (int i = 0; i < positions.size(); i++) {
                            x[positions.get(i)] = values.get(i);
                          }
                          return x;
                        }));
  }
}
