package dev.coati.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv4AddressTest {
  @Test
  void parse_print_bytes_order() {
    Ipv4Address a = Ipv4Address.parse("203.0.113.250");
    assertEquals("203.0.113.250", a.toString());
    assertArrayEquals(new byte[] {(byte) 203, 0, 113, (byte) 250}, a.bytes());
    assertEquals(a, Ipv4Address.of(a.bytes()));
    assertTrue(Ipv4Address.parse("10.0.0.1").compareTo(a) < 0, "unsigned order");
    assertEquals(0xcb0071faL, a.unsigned());
  }

  @Test
  void parse_refusesNonAddresses() {
    for (String s :
        new String[] {
          "",
          "1.2.3",
          "1.2.3.4.5",
          "1.2.3.256",
          "1.2.3.-4",
          "a.b.c.d",
          "1.2.3.4 ",
          "1..2.3",
          "0001.2.3.4"
        }) {
      assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(s), s);
    }
  }
}
