package dev.coati.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.NtHash;
import dev.coati.crypto.PasswordHash;
import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalUsersTest {
  static final String HASH =
      PasswordHash.hash("pw".getBytes(StandardCharsets.UTF_8), RandomSource.deterministic(5), 1000);
  static final String NT = Hex.encode(NtHash.of("pw".getBytes(StandardCharsets.UTF_8)));

  static final String GOOD =
      "# users of vpn.example.com\n"
          + "\n"
          + "alice:"
          + HASH
          + ":"
          + NT
          + ":address=10.99.99.50,max_sessions=1\n"
          + "  bob:{plain}se\\:cr\\\\et\n"
          + "carol::"
          + NT.toUpperCase()
          + ":max_sessions=2\n"
          + "dave:"
          + HASH
          + "\n";

  @Test
  void parsesEveryField() throws Exception {
    LocalUsers u = LocalUsers.parse("users.txt", GOOD);
    assertEquals(
        List.of("alice", "bob", "carol", "dave"), u.users().stream().map(UserEntry::name).toList());
    UserEntry alice = u.find("alice").orElseThrow();
    assertEquals(Ipv4Address.parse("10.99.99.50"), alice.address());
    assertEquals(1, alice.maxSessions());
    assertEquals(HASH, alice.passwordHash().encode());
    assertArrayEquals(Hex.decode(NT), alice.ntHash());
    UserEntry bob = u.find("bob").orElseThrow();
    assertEquals("se:cr\\et", new String(bob.plainPassword().bytes(), StandardCharsets.UTF_8));
    assertNull(bob.passwordHash());
    assertEquals(2, u.find("carol").orElseThrow().maxSessions());
    assertNull(u.find("dave").orElseThrow().ntHash());
    assertEquals(Map.of("alice", Ipv4Address.parse("10.99.99.50")), u.staticAddresses());
  }

  @Test
  void plainTextPassword_isAcceptedWithAWarning() throws Exception {
    LocalUsers u = LocalUsers.parse("users.txt", GOOD);
    assertEquals(1, u.warnings().size());
    String w = u.warnings().get(0);
    assertTrue(w.startsWith("users.txt:4: user 'bob' has a plain-text password"), w);
    assertTrue(w.contains("coati user passwd bob"), w);
    assertFalse(w.contains("cr"), "never echoes the password: " + w);
  }

  @Test
  void names_areCaseSensitive_andDomainPrefixFallsBack() throws Exception {
    LocalUsers u = LocalUsers.parse("users.txt", GOOD);
    assertTrue(u.find("Alice").isEmpty());
    assertEquals("alice", u.find("CORP\\alice").orElseThrow().name());
  }

  @Test
  void everyBadLine_isReportedWithItsLineNumber() {
    String text =
        "ok:"
            + HASH
            + "\n"
            + "broken:$pbkdf2-sha256$i=1000$xx\n"
            + ":"
            + HASH
            + "\n"
            + "nt:"
            + HASH
            + ":1234\n"
            + "opt:"
            + HASH
            + "::colour=blue\n"
            + "addr:"
            + HASH
            + "::address=10.99.99.300\n"
            + "ok:"
            + HASH
            + "\n"
            + "nothing\n"
            + "a:b:c:d:e\n"
            + "max:"
            + HASH
            + "::max_sessions=0\n"
            + "x1:{plain}a::address=10.0.0.5\n"
            + "x2:{plain}b::address=10.0.0.5\n"
            + "sp ace:{plain}c\n";
    UsersFileException e =
        assertThrows(UsersFileException.class, () -> LocalUsers.parse("u.txt", text));
    List<String> p = e.problems();
    assertEquals(11, p.size(), String.join("\n", p));
    assertTrue(p.get(0).startsWith("u.txt:2: user 'broken': bad password field:"), p.get(0));
    assertTrue(p.get(0).contains("coati user passwd broken"), p.get(0));
    assertTrue(p.get(1).startsWith("u.txt:3: the user name is empty"), p.get(1));
    assertTrue(p.get(2).startsWith("u.txt:4: user 'nt': the NT hash must be 32 hex digits"));
    assertTrue(p.get(3).startsWith("u.txt:5: user 'opt': unknown option 'colour'"), p.get(3));
    assertTrue(p.get(4).startsWith("u.txt:6: user 'addr': address: '10.99.99.300'"), p.get(4));
    assertTrue(p.get(5).startsWith("u.txt:7: user 'ok' is already defined on line 1"), p.get(5));
    assertTrue(p.get(6).startsWith("u.txt:8: user 'nothing' has neither"), p.get(6));
    assertTrue(p.get(7).startsWith("u.txt:9: 5 ':'-separated fields"), p.get(7));
    assertTrue(p.get(8).startsWith("u.txt:10: user 'max': max_sessions must be"), p.get(8));
    assertTrue(
        p.get(9).startsWith("u.txt:12: address 10.0.0.5 is already the static address of 'x1'"),
        p.get(9));
    assertTrue(p.get(10).startsWith("u.txt:13: user name 'sp ace' may not contain"), p.get(10));
    assertTrue(e.getMessage().contains("u.txt:2:") && e.getMessage().contains("u.txt:13:"));
  }

  @Test
  void format_roundTrips() throws Exception {
    LocalUsers u = LocalUsers.parse("users.txt", GOOD);
    for (UserEntry e : u.users()) {
      assertEquals(e, LocalUsers.parseLine(e.format()), e.format());
    }
    assertEquals("bob:{plain}se\\:cr\\\\et", u.find("bob").orElseThrow().format());
    assertEquals("dave:" + HASH, u.find("dave").orElseThrow().format());
    assertFalse(u.find("alice").orElseThrow().toString().contains(NT));
  }
}
