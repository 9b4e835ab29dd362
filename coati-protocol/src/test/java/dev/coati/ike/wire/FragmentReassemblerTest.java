package dev.coati.ike.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FragmentReassemblerTest {
  static FragmentPayload f(int id, int n, boolean last, int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new FragmentPayload(id, n, last ? FragmentPayload.FLAG_LAST : 0, b);
  }

  @Test
  void outOfOrderAndDuplicates_reassembleOnce() {
    FragmentReassembler r = new FragmentReassembler();
    assertNull(r.add(f(1, 3, true, 5, 6)));
    assertNull(r.add(f(1, 1, false, 1, 2)));
    assertNull(r.add(f(1, 1, false, 1, 2)));
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, r.add(f(1, 2, false, 3, 4)));
    assertEquals(0, r.pending());
  }

  @Test
  void moreThanSixteenFragments_asSomeWindowsBuildsSend() {
    FragmentReassembler r = new FragmentReassembler();
    byte[] out = null;
    for (int n = 1; n <= 20; n++) {
      out = r.add(f(9, n, n == 20, n));
    }
    assertEquals(20, out.length);
    assertEquals(20, out[19]);
  }

  @Test
  void missingPiece_waits_newIdDiscardsOld() {
    FragmentReassembler r = new FragmentReassembler();
    assertNull(r.add(f(1, 1, false, 1)));
    assertNull(r.add(f(1, 3, true, 3)));
    assertArrayEquals(new byte[] {7}, r.add(f(2, 1, true, 7)), "id 2 completes alone");
    assertNull(r.add(f(1, 2, false, 2)), "older id ignored");
  }

  @Test
  void caps_numberAndSize() {
    FragmentReassembler r = new FragmentReassembler();
    assertThrows(MalformedPacketException.class, () -> r.add(f(1, 0, false, 1)));
    assertThrows(
        MalformedPacketException.class, () -> r.add(f(1, Limits.MAX_FRAGMENTS + 1, false, 1)));
    byte[] big = new byte[40000];
    r.add(new FragmentPayload(3, 1, 0, big));
    assertThrows(MalformedPacketException.class, () -> r.add(new FragmentPayload(3, 2, 0, big)));
  }
}
