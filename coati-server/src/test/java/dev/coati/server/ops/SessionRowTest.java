package dev.coati.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.PeerFeature;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionRowTest {
  static SessionRow row(String kind, String l2tp, String user, String address) {
    return new SessionRow(
        kind,
        "0123456789abcdef",
        l2tp,
        user,
        "psk+xauth",
        "strongSwan",
        "10.97.0.2:4500",
        true,
        address,
        "aes-cbc-256/sha2-256/modp-2048",
        List.of(
            new SessionRow.Child(
                "c1234567/89abcdef",
                "tunnel",
                "aes-cbc-128/hmac-sha1-96",
                "0.0.0.0/0",
                "10.99.99.10/32",
                100,
                2,
                300,
                4)),
        65,
        3,
        List.of("dpd", "xauth"),
        null,
        "6b0ff4de-00000001");
  }

  @Test
  void selectorsMatchUserAddressPeerAndSession() {
    SessionRow r = row("xauth", null, "alice", "10.99.99.10");
    assertTrue(r.matches("alice"));
    assertTrue(r.matches("ALICE"));
    assertTrue(r.matches("10.99.99.10"));
    assertTrue(r.matches("10.97.0.2"));
    assertTrue(r.matches("10.97.0.2:4500"));
    assertTrue(r.matches("0123456789abcdef"));
    assertFalse(r.matches("bob"));
    assertFalse(r.matches("10.99.99.1"));
    assertFalse(r.matches("10.97.0.2:500"));
    SessionRow l = row("l2tp", "l2tp-7/1", null, null);
    assertTrue(l.matches("l2tp-7/1"));
    assertFalse(l.matches("alice"));
  }

  @Test
  void jsonHasTheFieldsAndTotals() {
    String j = SessionRow.json(List.of(row("xauth", null, "alice", "10.99.99.10")));
    assertTrue(j.startsWith("[{\"kind\":\"xauth\",\"session\":\"0123456789abcdef\""), j);
    for (String s :
        new String[] {
          "\"user\":\"alice\"",
          "\"address\":\"10.99.99.10\"",
          "\"nat\":true",
          "\"public_address\":\"10.97.0.2:4500\"",
          "\"ike\":\"aes-cbc-256/sha2-256/modp-2048\"",
          "\"algorithms\":\"aes-cbc-128/hmac-sha1-96\"",
          "\"bytes_in\":100",
          "\"packets_out\":4",
          "\"uptime_seconds\":65",
          "\"vendor_ids\":[\"dpd\",\"xauth\"]",
          "\"acct_session_id\":\"6b0ff4de-00000001\""
        }) {
      assertTrue(j.contains(s), s + " in " + j);
    }
    assertEquals("[]", SessionRow.json(List.of()));
  }

  @Test
  void tableShowsOneLinePerSessionAndDetails() {
    String t = SessionRow.table(List.of(row("xauth", null, "alice", "10.99.99.10")));
    String[] lines = t.split("\n");
    assertTrue(lines[0].startsWith("SESSION"), t);
    assertTrue(lines[1].contains("alice") && lines[1].contains("10.99.99.10"), t);
    assertTrue(lines[1].contains("1m05s") && lines[1].contains("yes"), t);
    assertTrue(lines[2].contains("aes-cbc-256") && lines[2].contains("psk+xauth"), t);
    assertTrue(lines[3].contains("in 100 B/2 pkts out 300 B/4 pkts"), t);
    assertEquals("no sessions\n", SessionRow.table(List.of()));
  }

  @Test
  void clientKindFromVendorIds() {
    assertEquals(
        "Microsoft Windows (MS NT5 v9)",
        StatusCollector.clientKind(Set.of(PeerFeature.MS_NT5_ISAKMPOAKLEY), 9));
    assertEquals(
        "strongSwan",
        StatusCollector.clientKind(Set.of(PeerFeature.STRONGSWAN, PeerFeature.CISCO_UNITY), -1));
    assertEquals(
        "Cisco Unity client", StatusCollector.clientKind(Set.of(PeerFeature.CISCO_UNITY), -1));
    assertEquals("unknown", StatusCollector.clientKind(Set.of(), -1));
    assertEquals("psk+xauth", StatusCollector.authName(65001));
  }
}
