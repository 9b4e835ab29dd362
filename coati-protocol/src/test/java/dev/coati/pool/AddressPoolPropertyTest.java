package dev.coati.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Ipv4Address;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Under random lease/release sequences: no address is leased twice, reserved and gateway addresses
 * go only where they belong, limits hold, and once everything is released the pool is whole again.
 */
class AddressPoolPropertyTest {
  static final Ipv4Address GATEWAY = Ipv4Address.parse("10.99.99.1");
  static final Ipv4Address ALICE_STATIC = Ipv4Address.parse("10.99.99.3");
  static final Ipv4Address BOB_STATIC = Ipv4Address.parse("192.0.2.9");

  @Property(tries = 500)
  void neverLeasesAnAddressTwice_andNeverLeaks(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 100_000) Integer> ops) {
    AddressPool pool =
        new AddressPool(
            PoolRange.parse("10.99.99.0/29"),
            GATEWAY,
            Map.of("u0", ALICE_STATIC, "u1", BOB_STATIC));
    int capacity = pool.capacity();
    assertEquals(4, capacity);
    Map<String, Integer> limits = new HashMap<>();
    long now = 0;
    for (int op : ops) {
      String user = "u" + (op / 2) % 6;
      String session = "s" + (op / 12) % 4;
      int max = (op / 48) % 3;
      now += 1000;
      if (op % 3 != 0) {
        int before = pool.sessionsOf(user);
        // now and then a static address from elsewhere (RADIUS Framed-IP-Address), in the
        // range, reserved for u0, outside, or the gateway's own
        Ipv4Address requested =
            op % 7 == 0 ? new Ipv4Address(GATEWAY.value() + (op / 7) % 9 - 1) : null;
        LeaseResult r = pool.lease(user, session, requested, max, now);
        if (r instanceof LeaseResult.Granted g) {
          assertEquals(user, g.lease().user());
          if (max > 0 && pool.sessionsOf(user) > before) {
            assertTrue(pool.sessionsOf(user) <= max, "limit " + max + " exceeded");
          }
        }
        limits.put(user, max);
      } else {
        pool.release(user, session);
      }
      checkInvariants(pool, capacity);
    }
    for (Lease l : pool.leases()) {
      pool.release(l.user(), l.sessionId());
    }
    assertTrue(pool.leases().isEmpty());
    assertEquals(capacity, pool.freeCount(), "addresses leaked");
  }

  private static void checkInvariants(AddressPool pool, int capacity) {
    Set<Ipv4Address> seen = new HashSet<>();
    int dynamicInRange = 0;
    for (Lease l : pool.leases()) {
      assertTrue(seen.add(l.address()), "address leased twice: " + l.address());
      assertFalse(l.address().equals(GATEWAY), "gateway leased");
      if (l.address().equals(ALICE_STATIC)) {
        assertEquals("u0", l.user());
      } else if (l.address().equals(BOB_STATIC)) {
        assertEquals("u1", l.user());
      } else if (pool.range().contains(l.address())) {
        dynamicInRange++;
      } else {
        assertTrue(l.fixed(), "only a requested static address lies outside the range");
      }
      assertEquals(l, pool.leaseOf(l.address()).orElseThrow());
    }
    assertEquals(capacity, pool.freeCount() + dynamicInRange, "free + leased != capacity");
  }
}
