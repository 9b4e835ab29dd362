package dev.coati.l2tp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class L2tpHiddenAvpTest {
  static final byte[] SECRET = "coati-secret".getBytes(StandardCharsets.US_ASCII);
  static final byte[] RV = Hex.decode("0102030405060708090a0b0c0d0e0f10");

  /**
   * Known answer computed independently with Python's hashlib:
   *
   * <pre>
   * p = len(val).to_bytes(2,'big') + val          # val = b"lns.example.com"
   * b = md5((7).to_bytes(2,'big') + secret + rv)  # 7 = Host Name
   * for each 16-byte chunk: c = chunk xor b; b = md5(secret + c)
   * </pre>
   *
   * 17 bytes: one full block and a one-byte last block, so the chaining is exercised.
   */
  @Test
  void hostName_hidden_knownAnswer() {
    Avp hidden = HiddenAvp.hide(Avps.hostName("lns.example.com"), SECRET, RV, 0);
    assertTrue(hidden.hidden());
    assertArrayEquals(Hex.decode("09380a6d2bf45a0eeccc3baa637c37b306"), hidden.value());
    assertEquals(Avps.hostName("lns.example.com"), HiddenAvp.reveal(hidden, SECRET, RV));
  }

  @Test
  void everyAvp_hidesAndReveals_withAndWithoutPadding() {
    for (Avp a : L2tpSamples.everyAvp()) {
      for (int pad : new int[] {0, 1, 14, 40}) {
        Avp h = HiddenAvp.hide(a, SECRET, RV, pad);
        assertEquals(a.value().length + 2 + pad, h.value().length);
        assertEquals(a, HiddenAvp.reveal(h, SECRET, RV), a + " pad " + pad);
      }
    }
  }

  @Test
  void hiddenInsideAMessage_decodesHidden_thenReveals() {
    Avp rv = Avps.randomVector(RV);
    Avp h = HiddenAvp.hide(Avps.assignedSessionId(0x4321), SECRET, RV, 7);
    ControlMessage m =
        ControlMessage.of(1, 0, MessageType.ICRQ, List.of(rv, h, Avps.callSerialNumber(5)));
    ControlMessage back = ControlMessage.decode(m.encode());
    assertEquals(m, back);
    assertTrue(back.assignedSessionId().isEmpty(), "still hidden");
    assertEquals(0x4321, back.reveal(SECRET).assignedSessionId().orElseThrow());
    L2tpProtocolException wrong =
        assertThrows(
            L2tpProtocolException.class, () -> back.reveal("other".getBytes()).avps().size());
    assertEquals(ResultCode.LENGTH_WRONG, wrong.errorCode());
    assertNotEquals(0, wrong.resultCode());
  }

  @Test
  void hiddenWithoutRandomVector_isRefused() {
    Avp h = HiddenAvp.hide(Avps.assignedSessionId(1), SECRET, RV, 0);
    byte[] wire =
        ControlMessage.of(1, 0, MessageType.ICRQ, List.of(h, Avps.callSerialNumber(5))).encode();
    assertEquals(
        ResultCode.FIELD_OUT_OF_RANGE,
        assertThrows(L2tpProtocolException.class, () -> ControlMessage.decode(wire)).errorCode());
  }

  @Test
  void hideMessage_roundTrip_randomVectorAfterTheType_neverHiddenStayPlain() {
    for (ControlMessage m : L2tpSamples.everyMessage()) {
      if (m.isZlb()) {
        continue;
      }
      ControlMessage hidden = m.hide(SECRET, RV);
      ControlMessage back = ControlMessage.decode(hidden.encode());
      assertEquals(hidden, back, "decodes byte-identically while hidden");
      boolean anyHidden = m.avps().stream().anyMatch(a -> a.avpType().mayBeHidden());
      assertEquals(anyHidden, back.hasHidden(), m.toString());
      if (!anyHidden) {
        assertEquals(m, hidden, "nothing to hide: no Random Vector added");
        continue;
      }
      assertEquals(Avps.randomVector(RV), back.avps().get(1));
      for (Avp a : back.avps()) {
        assertEquals(a.avpType().mayBeHidden(), a.hidden(), a.toString());
        assertEquals(0, a.hidden() ? (a.value().length % 16) : 0, "padded to whole blocks");
      }
      List<Avp> revealed = new ArrayList<>(back.reveal(SECRET).avps());
      revealed.remove(1);
      assertEquals(m.avps(), revealed);
    }
  }

  @Test
  void neverHidden_perRfc2661Section44() {
    for (AvpType t :
        List.of(
            AvpType.MESSAGE_TYPE,
            AvpType.RANDOM_VECTOR,
            AvpType.RESULT_CODE,
            AvpType.PROTOCOL_VERSION,
            AvpType.TIE_BREAKER,
            AvpType.HOST_NAME,
            AvpType.RECEIVE_WINDOW_SIZE,
            AvpType.SEQUENCING_REQUIRED,
            AvpType.valueOf(999))) {
      assertFalse(t.mayBeHidden(), t.toString());
    }
    for (AvpType t :
        List.of(
            AvpType.FRAMING_CAPABILITIES,
            AvpType.VENDOR_NAME,
            AvpType.ASSIGNED_TUNNEL_ID,
            AvpType.CHALLENGE,
            AvpType.CHALLENGE_RESPONSE,
            AvpType.ASSIGNED_SESSION_ID,
            AvpType.PROXY_AUTHEN_RESPONSE)) {
      assertTrue(t.mayBeHidden(), t.toString());
    }
  }
}
