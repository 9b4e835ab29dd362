package dev.coati.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KvTest {
  @Test
  void peerValuesAreEscapedAndCannotPoseAsFields() {
    assertEquals(
        "ike[1] Xauth failed user=\"bob\\nINFO  ike[2] IKE SA established user=admin\""
            + " peer=10.97.0.2:500 attempts=3",
        Kv.line("ike[1]", "Xauth failed")
            .add("user", "bob\nINFO  ike[2] IKE SA established user=admin")
            .add("peer", "10.97.0.2:500")
            .add("reason", null)
            .add("attempts", 3)
            .toString());
    assertEquals(
        "l2tp-3 PPP up user=\"\\x1b[31malice\" address=10.99.99.10",
        Kv.line("l2tp-3", "PPP up")
            .add("user", "\u001b[31malice")
            .add("address", "10.99.99.10")
            .toString());
    assertEquals(
        "x e reason=\"wrong password\"",
        Kv.line("x", "e").add("reason", "wrong password").toString());
  }
}
