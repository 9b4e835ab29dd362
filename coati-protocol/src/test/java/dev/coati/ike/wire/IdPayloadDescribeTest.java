package dev.coati.ike.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.util.LogSafe;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdPayloadDescribeTest {
  @Test
  void printableKeyIdIsText() {
    assertEquals(
        "keyid:vpngroup",
        IdPayload.keyId("vpngroup".getBytes(StandardCharsets.US_ASCII)).describe());
    assertEquals("ID_KEY_ID:00ff", IdPayload.keyId(new byte[] {0, (byte) 0xff}).describe());
  }

  @Test
  void namesAsText_escapedWhereLogged() {
    String forged = IdPayload.userFqdn("a\nINFO forged\u001b[2J").describe();
    assertEquals("a\nINFO forged\u001b[2J", forged);
    assertEquals("a\\nINFO forged\\x1b[2J", LogSafe.escape(forged));
    assertEquals("vpn.example.com", IdPayload.fqdn("vpn.example.com").describe());
    assertEquals("192.0.2.7", IdPayload.ipv4(new byte[] {(byte) 192, 0, 2, 7}).describe());
  }
}
