package dev.coati.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteReaderTest {
  @Test
  void reads_bigEndianFields() {
    ByteReader r = new ByteReader(Hex.decode("01 0203 040506 0708090a 0b0c0d0e0f101112 ff"));
    assertEquals(1, r.u8());
    assertEquals(0x0203, r.u16());
    assertEquals(0x040506, r.u24());
    assertEquals(0x0708090aL, r.u32());
    assertEquals(0x0b0c0d0e0f101112L, r.i64());
    assertEquals(1, r.remaining());
    assertArrayEquals(new byte[] {(byte) 0xff}, r.rest());
  }

  @Test
  void read_pastLimit_throwsTruncated() {
    ByteReader r = new ByteReader(new byte[] {1, 2, 3, 4, 5}, 1, 3);
    assertEquals(2, r.u8());
    assertThrows(TruncatedInputException.class, r::i32);
    assertThrows(TruncatedInputException.class, () -> r.bytes(-1));
    assertEquals(0x0304, r.u16());
    assertThrows(TruncatedInputException.class, r::u8);
  }

  @Test
  void writer_roundTripsAndPatches() {
    ByteWriter w = new ByteWriter(1);
    w.u8(0xab).u16(0).i32(0x01020304).i64(-2L).bytes(new byte[] {9});
    w.set16(1, 0xbeef);
    ByteReader r = new ByteReader(w.toByteArray());
    assertEquals(0xab, r.u8());
    assertEquals(0xbeef, r.u16());
    assertEquals(0x01020304, r.i32());
    assertEquals(-2L, r.i64());
    assertEquals(9, r.u8());
  }

  @Test
  void deterministicRandom_isReproducible() {
    assertArrayEquals(
        RandomSource.deterministic(7).bytes(100), RandomSource.deterministic(7).bytes(100));
  }
}
