package dev.coati.l2tp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class L2tpCodecTest {

  @Test
  void everyAvp_roundTripsInsideAHello() {
    for (Avp a : L2tpSamples.everyAvp()) {
      ControlMessage m = L2tpSamples.msg(MessageType.HELLO, a);
      byte[] wire = m.encode();
      ControlMessage back = ControlMessage.decode(wire);
      assertEquals(m, back, a.toString());
      assertArrayEquals(wire, back.encode());
      assertEquals(wire.length, m.encodedLength());
      assertEquals(a.value().length + 6, back.avps().get(1).encodedLength());
    }
  }

  @Test
  void everyMessageType_roundTrips() {
    for (ControlMessage m : L2tpSamples.everyMessage()) {
      byte[] wire = m.encode();
      assertEquals(m, ControlMessage.decode(wire), m.messageType().toString());
      assertEquals(wire.length, (wire[2] & 0xff) << 8 | (wire[3] & 0xff));
      assertEquals(0xc8, wire[0] & 0xff, "T, L and S set");
      assertEquals(2, wire[1], "version 2");
    }
    assertTrue(ControlMessage.decode(ControlMessage.zlb(1, 2, 3).encode()).isZlb());
  }

  @Test
  void typedAccessors_readBackWhatWasBuilt() {
    ControlMessage m = L2tpSamples.sccrq();
    assertEquals(MessageType.SCCRQ, m.messageType().orElseThrow());
    assertEquals("lac.example.com", m.hostName().orElseThrow());
    assertEquals(0x1234, m.assignedTunnelId().orElseThrow());
    assertEquals(8, m.receiveWindowSize().orElseThrow());
    assertEquals(
        new Avps.ProtocolVersion(1, 0),
        Avps.protocolVersion(m.find(AvpType.PROTOCOL_VERSION).orElseThrow()));
    assertEquals(3, m.find(AvpType.FRAMING_CAPABILITIES).orElseThrow().u32());
    ControlMessage stop = L2tpSamples.everyMessage().get(3);
    assertEquals(new ResultCode(2, 8, "x"), stop.resultCode().orElseThrow());
    List<Avp> all = L2tpSamples.everyAvp();
    assertEquals(ResultCode.of(1), Avps.resultCode(all.get(1)));
    assertEquals(0x0102030405060708L, all.get(5).u64());
    assertEquals(new Avps.Q931Cause(16, 0x45, "normal"), Avps.q931Cause(all.get(13)));
    assertEquals(0xfedcba98L, all.get(15).u32());
    assertEquals("192.0.2.10", all.get(21).text());
    assertEquals(9, L2tpSamples.icrq().withSequence(9, 0).ns());
    assertEquals(0x4321, L2tpSamples.icrq().assignedSessionId().orElseThrow());
  }

  @Test
  void messageTypeMustComeFirst() {
    ControlMessage m = L2tpSamples.sccrq();
    List<Avp> swapped = new ArrayList<>(m.avps());
    swapped.add(swapped.remove(0));
    byte[] wire = new ControlMessage(0, 0, 0, 0, swapped).encode();
    L2tpProtocolException e =
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire));
    assertEquals(ResultCode.GENERAL_ERROR, e.resultCode());
    assertEquals(ResultCode.FIELD_OUT_OF_RANGE, e.errorCode());
  }

  @Test
  void everyRequiredAvp_missing_isRefused() {
    for (ControlMessage m : L2tpSamples.everyMessage()) {
      MessageType t = m.messageType().orElse(MessageType.valueOf(0));
      for (AvpType required : MessageRules.required(t)) {
        List<Avp> less = new ArrayList<>(m.avps());
        assertTrue(less.removeIf(a -> a.isIetf(required)));
        byte[] wire = new ControlMessage(1, 0, 0, 0, less).encode();
        L2tpProtocolException e =
            assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire));
        assertEquals(ResultCode.FIELD_OUT_OF_RANGE, e.errorCode(), t + " " + required);
      }
    }
  }

  @Test
  void unknownAvp_withM_isError8_withoutM_isKept() {
    Avp unknownM = new Avp(true, false, 0, 200, new byte[] {1});
    byte[] wire = L2tpSamples.msg(MessageType.HELLO, unknownM).encode();
    L2tpProtocolException e =
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire));
    assertEquals(ResultCode.GENERAL_ERROR, e.resultCode());
    assertEquals(ResultCode.UNKNOWN_MANDATORY_AVP, e.errorCode());
    Avp vendorM = new Avp(true, false, 9, 1, new byte[0]);
    byte[] wire2 = L2tpSamples.msg(MessageType.HELLO, vendorM).encode();
    assertEquals(
        ResultCode.UNKNOWN_MANDATORY_AVP,
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire2)).errorCode());
    Avp unknown = new Avp(false, false, 0, 200, new byte[] {1});
    ControlMessage ok = L2tpSamples.msg(MessageType.HELLO, unknown);
    assertEquals(ok, ControlMessage.decode(ok.encode()));
    byte[] unknownType = L2tpSamples.msg(MessageType.valueOf(99)).encode();
    assertEquals(
        ResultCode.UNKNOWN_MANDATORY_AVP,
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(unknownType))
            .errorCode());
  }

  @Test
  void reservedAvpBits_withoutM_ignored_withM_refused() {
    byte[] wire = L2tpSamples.msg(MessageType.HELLO, Avps.vendorName("v")).encode();
    wire[12 + 8] |= 0x04; // reserved bit of the second AVP's first byte
    assertEquals(1, ControlMessage.decode(wire).avps().size());
    wire[12 + 8] |= (byte) 0x80;
    assertEquals(
        ResultCode.UNKNOWN_MANDATORY_AVP,
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire)).errorCode());
  }

  @Test
  void wrongValueLength_isLengthWrong() {
    Avp shortId = new Avp(true, AvpType.ASSIGNED_TUNNEL_ID, new byte[] {1});
    byte[] wire = L2tpSamples.msg(MessageType.HELLO, shortId).encode();
    assertEquals(
        ResultCode.LENGTH_WRONG,
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire)).errorCode());
  }

  @Test
  void avpCount_isCapped() {
    Avp[] many = new Avp[Limits.MAX_AVPS];
    java.util.Arrays.fill(many, Avps.vendorName("v"));
    byte[] wire = L2tpSamples.msg(MessageType.HELLO, many).encode();
    assertEquals(
        ResultCode.INSUFFICIENT_RESOURCES,
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire)).errorCode());
  }

  @Test
  void header_versionAndBits() {
    byte[] wire = L2tpSamples.sccrq().encode();
    byte[] v3 = wire.clone();
    v3[1] = 3;
    assertTrue(
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(v3)).silentDiscard());
    byte[] noS = wire.clone();
    noS[0] &= ~0x08;
    assertTrue(
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(noS))
            .silentDiscard());
    assertThrows(L2tpProtocolException.class, () -> DataMessage.decode(wire));
  }

  @Test
  void dataMessages_withEveryOptionalField_roundTrip() {
    byte[] ppp = Hex.decode("ff03c021010100040000");
    DataMessage plain = DataMessage.of(0x0abc, 0x4321, ppp);
    assertArrayEquals(Hex.decode("00020abc4321"), java.util.Arrays.copyOf(plain.encode(), 6));
    L2tpHeader all = new L2tpHeader(false, true, true, true, true, 0, 7, 8, 9, 10, 3);
    for (DataMessage d : List.of(plain, new DataMessage(all, ppp))) {
      byte[] wire = d.encode();
      DataMessage back = DataMessage.decode(wire);
      assertEquals(d, back);
      assertArrayEquals(ppp, back.payload());
      assertEquals(wire.length, d.encodedLength());
    }
    byte[] wire = new DataMessage(all, ppp).encode();
    assertEquals(wire.length, DataMessage.decode(wire).header().length());
    byte[] trailing = java.util.Arrays.copyOf(wire, wire.length + 5);
    assertArrayEquals(ppp, DataMessage.decode(trailing).payload(), "Length bounds the payload");
  }

  @Test
  void truncationAtEveryByte_isTypedAndRefused() {
    for (ControlMessage m : L2tpSamples.everyMessage()) {
      byte[] wire = m.encode();
      for (int n = 0; n < wire.length; n++) {
        byte[] cut = java.util.Arrays.copyOf(wire, n);
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(cut), "at " + n);
      }
    }
    byte[] data =
        new DataMessage(
                new L2tpHeader(false, true, true, true, false, 0, 1, 2, 3, 4, 2),
                new byte[] {1, 2, 3})
            .encode();
    for (int n = 0; n < data.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(data, n);
      assertThrows(L2tpProtocolException.class, () -> DataMessage.decode(cut), "at " + n);
    }
  }

  @Test
  void everyBitFlip_ofEveryMessage_isDecodedOrTyped() {
    List<byte[]> inputs = new ArrayList<>();
    L2tpSamples.everyMessage().forEach(m -> inputs.add(m.encode()));
    inputs.add(
        L2tpSamples.msg(MessageType.HELLO, L2tpSamples.everyAvp().toArray(Avp[]::new)).encode());
    int decoded = 0;
    for (byte[] wire : inputs) {
      for (int bit = 0; bit < wire.length * 8; bit++) {
        byte[] x = wire.clone();
        x[bit / 8] ^= (byte) (1 << (bit % 8));
        decoded += decodeAnything(x);
      }
    }
    assertTrue(decoded > 0, "some flips (in values) still decode");
  }

  @Property(tries = 3000)
  void anyBytes_onlyTypedExceptions(@ForAll @Size(max = 300) byte[] data) {
    decodeAnything(data);
  }

  /** 1 when the control decode succeeded; any exception but ours fails the test. */
  private static int decodeAnything(byte[] x) {
    int ok = 0;
    try {
      ControlMessage m = ControlMessage.decode(x);
      m.reveal(new byte[] {1});
      m.resultCode();
      ok = 1;
    } catch (L2tpProtocolException e) {
      assertFalse(e.getMessage().isEmpty());
    }
    try {
      DataMessage.decode(x);
    } catch (L2tpProtocolException e) {
      // typed: fine
    }
    return ok;
  }
}
