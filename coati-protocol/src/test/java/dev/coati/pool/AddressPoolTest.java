package dev.coati.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.pool.LeaseResult.Granted;
import dev.coati.pool.LeaseResult.Reason;
import dev.coati.pool.LeaseResult.Refused;
import dev.coati.util.Ipv4Address;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
  static Ipv4Address ip(String s) {
    return Ipv4Address.parse(s);
  }

  static Ipv4Address granted(LeaseResult r) {
    assertTrue(r instanceof Granted, r.toString());
    return ((Granted) r).lease().address();
  }

  static Refused refused(LeaseResult r) {
    assertTrue(r instanceof Refused, r.toString());
    return (Refused) r;
  }

  @Test
  void cidr_skipsNetworkBroadcastAndGateway() {
    AddressPool p = AddressPool.of("10.99.99.0/29", ip("10.99.99.1"));
    assertEquals(5, p.capacity());
    Set<Ipv4Address> got = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      got.add(granted(p.lease("u" + i, "s", null, 0, 1000)));
    }
    assertEquals(
        Set.of(
            ip("10.99.99.2"),
            ip("10.99.99.3"),
            ip("10.99.99.4"),
            ip("10.99.99.5"),
            ip("10.99.99.6")),
        got);
    Refused r = refused(p.lease("late", "s", null, 0, 2000));
    assertEquals(Reason.EXHAUSTED, r.reason());
    assertEquals(
        "address pool 10.99.99.0/29 exhausted: all 5 addresses are leased (5 sessions);"
            + " enlarge the pool or lower max_sessions",
        r.message());
  }

  @Test
  void range_isInclusive_andParseErrorsExplain() {
    PoolRange r = PoolRange.parse("10.99.99.10-10.99.99.200");
    assertEquals(191, r.size());
    assertEquals(ip("10.99.99.10"), r.first());
    assertEquals(2, PoolRange.parse("192.0.2.4/31").size());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PoolRange.parse("10.99.99.1/24"))
            .getMessage()
            .contains("did you mean 10.99.99.0/24?"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PoolRange.parse("10.99.99.0"))
            .getMessage()
            .contains("expected a CIDR like 10.99.99.0/24 or a range"));
    assertThrows(IllegalArgumentException.class, () -> PoolRange.parse("10.0.0.9-10.0.0.1"));
    assertThrows(IllegalArgumentException.class, () -> PoolRange.parse("10.0.0.0/8"));
  }

  @Test
  void staticAddress_isReservedEvenWhileItsUserIsOffline() {
    AddressPool p =
        new AddressPool(
            PoolRange.parse("10.99.99.1-10.99.99.3"),
            ip("10.99.99.1"),
            Map.of("alice", ip("10.99.99.2")));
    assertEquals(ip("10.99.99.3"), granted(p.lease("bob", "s1", null, 0, 0)));
    assertEquals(Reason.EXHAUSTED, refused(p.lease("carol", "s1", null, 0, 0)).reason());
    assertEquals(ip("10.99.99.2"), granted(p.lease("alice", "a1", null, 0, 0)));
    assertTrue(p.leaseOf(ip("10.99.99.2")).orElseThrow().fixed());
    Refused second = refused(p.lease("alice", "a2", null, 0, 0));
    assertEquals(Reason.STATIC_IN_USE, second.reason());
    Refused stolen = refused(p.lease("bob", "s2", ip("10.99.99.2"), 0, 0));
    assertEquals(Reason.STATIC_RESERVED_FOR_OTHER, stolen.reason());
    p.release("alice", "a1");
    assertEquals(Reason.EXHAUSTED, refused(p.lease("carol", "s1", null, 0, 0)).reason());
  }

  @Test
  void staticOutsideTheRange_andReservationErrors() {
    AddressPool p = AddressPool.of("10.99.99.0/30", null);
    assertEquals(null, p.reserve("alice", ip("192.0.2.50")));
    assertEquals(ip("192.0.2.50"), granted(p.lease("alice", "a", null, 0, 0)));
    assertEquals(2, p.freeCount());
    assertTrue(p.reserve("bob", ip("192.0.2.50")).contains("already reserved for alice"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new AddressPool(
                PoolRange.parse("10.0.0.0/24"), ip("10.0.0.1"), Map.of("x", ip("10.0.0.1"))));
  }

  @Test
  void sessionLimit_perUser() {
    AddressPool p = AddressPool.of("10.99.99.0/24", ip("10.99.99.1"));
    granted(p.lease("alice", "1", null, 2, 0));
    granted(p.lease("alice", "2", null, 2, 0));
    Refused r = refused(p.lease("alice", "3", null, 2, 0));
    assertEquals(Reason.SESSION_LIMIT, r.reason());
    assertTrue(
        r.message().startsWith("alice already has 2 sessions (max_sessions=2)"), r.message());
    granted(p.lease("bob", "1", null, 2, 0));
    p.release("alice", "1");
    granted(p.lease("alice", "3", null, 2, 0));
  }

  @Test
  void sameSession_getsTheSameLease_andAUserGetsThePreviousAddressBack() {
    AddressPool p = AddressPool.of("10.99.99.0/24", ip("10.99.99.1"));
    Ipv4Address a = granted(p.lease("alice", "ike-1", null, 0, 10));
    assertEquals(a, granted(p.lease("alice", "ike-1", null, 0, 20)));
    assertEquals(1, p.leases().size());
    Ipv4Address b = granted(p.lease("bob", "ike-2", null, 0, 30));
    assertEquals(a, p.release("alice", "ike-1").orElseThrow().address());
    assertTrue(p.release("alice", "ike-1").isEmpty());
    // others take addresses meanwhile: a released address goes to the back of the free list
    for (int i = 0; i < 10; i++) {
      assertTrue(!a.equals(granted(p.lease("u" + i, "s", null, 0, 40))));
    }
    assertEquals(a, granted(p.lease("alice", "ike-3", null, 0, 50)));
    assertEquals(1, p.releaseAll("bob").size());
    assertTrue(p.leaseOf(b).isEmpty());
    assertEquals(0, p.sessionsOf("bob"));
  }

  @Test
  void heldAddresses_goToNobodyElseUntilTheHoldEnds_andBackToTheirUser() {
    AddressPool p = AddressPool.of("10.99.99.10-10.99.99.12", ip("10.99.99.1"));
    // before the restart alice had .10 and bob .11; their sessions may live on for 3600 s
    assertTrue(p.hold("alice", ip("10.99.99.10"), 3_600_000));
    assertTrue(p.hold("bob", ip("10.99.99.11"), 3_600_000));
    assertEquals(1, p.freeCount());
    assertEquals(ip("10.99.99.12"), granted(p.lease("carol", "c1", null, 0, 1000)));
    Refused full = refused(p.lease("dave", "d1", null, 0, 2000));
    assertEquals(Reason.EXHAUSTED, full.reason());
    assertEquals(ip("10.99.99.10"), granted(p.lease("alice", "a2", null, 0, 3000)));
    Refused taken = refused(p.lease("erin", "e1", ip("10.99.99.11"), 0, 4000));
    assertEquals(Reason.STATIC_IN_USE, taken.reason());
    // bob's old session could have lived until 3600 s at most
    assertEquals(ip("10.99.99.11"), granted(p.lease("dave", "d1", null, 0, 3_600_000)));
    assertEquals(0, p.holds().size());
  }

  @Test
  void aHoldOnALeasedOrForeignAddress_isIgnored() {
    AddressPool p = AddressPool.of("10.99.99.10-10.99.99.12", ip("10.99.99.1"));
    Ipv4Address a = granted(p.lease("alice", "a1", null, 0, 0));
    long before = p.changes();
    assertTrue(!p.hold("bob", a, 10_000));
    assertTrue(!p.hold("bob", ip("10.99.98.5"), 10_000));
    assertTrue(!p.hold("bob", ip("10.99.99.1"), 10_000));
    assertEquals(before, p.changes());
    p.release("alice", "a1");
    assertTrue(p.changes() > before);
  }
}
