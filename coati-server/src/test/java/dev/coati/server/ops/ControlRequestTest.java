package dev.coati.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlRequestTest {
  @Test
  void goodRequests() {
    assertEquals(
        new ControlRequest(ControlRequest.Verb.STATUS, null, false),
        ControlRequest.parse("status"));
    assertEquals(
        new ControlRequest(ControlRequest.Verb.STATUS, null, true),
        ControlRequest.parse("  status   --json \r"));
    assertEquals(
        new ControlRequest(ControlRequest.Verb.KICK, "alice", false),
        ControlRequest.parse("kick alice"));
    assertEquals(
        new ControlRequest(ControlRequest.Verb.RELOAD, null, false),
        ControlRequest.parse("reload"));
  }

  @Test
  void linesRoundTrip() {
    for (String l : new String[] {"status", "status --json", "kick 10.99.99.10", "reload"}) {
      assertEquals(l, ControlRequest.parse(l).line());
    }
  }

  @Test
  void badRequestsSayWhy() {
    assertTrue(bad("").contains("empty request"));
    assertTrue(bad("stop").contains("unknown request 'stop'"));
    assertTrue(bad("kick").contains("usage: kick"));
    assertTrue(bad("kick a b").contains("usage: kick"));
    assertTrue(bad("kick " + "x".repeat(256)).contains("usage: kick"));
    assertTrue(bad("status --xml").contains("usage: status"));
    assertTrue(bad("reload now").contains("usage: reload"));
  }

  private static String bad(String line) {
    return assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse(line))
        .getMessage();
  }
}
