package dev.coati.nativeio.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TunOffloadTest {
  @Test
  void propertyBeatsEnvironment_andOffIsTheDefault() {
    assertEquals(TunOffload.OFF, TunOffload.parse(null, null));
    assertEquals(TunOffload.OFF, TunOffload.parse(" ", null));
    assertEquals(TunOffload.ON, TunOffload.parse("on", "off"));
    assertEquals(TunOffload.AUTO, TunOffload.parse(null, "AUTO"));
    assertEquals(TunOffload.OFF, TunOffload.parse("false", "on"));
    assertEquals(TunOffload.ON, TunOffload.parse("yes", null));
  }

  @Test
  void anythingElse_isAClearError() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> TunOffload.parse("tso", null));
    assertTrue(e.getMessage().contains("on, off or auto"), e.getMessage());
  }
}
