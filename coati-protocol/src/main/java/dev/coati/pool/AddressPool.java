package dev.coati.pool;

import dev.coati.pool.LeaseResult.Granted;
import dev.coati.pool.LeaseResult.Reason;
import dev.coati.pool.LeaseResult.Refused;
import dev.coati.util.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The IPv4 address pool for remote-access clients (Xauth mode config INTERNAL_IP4_ADDRESS, PPP
 * IPCP). Leases are keyed by user and session id; a session that asks again gets the same lease.
 *
 * <ul>
 *   <li>The gateway's own address is never leased.
 *   <li>A user's static address is reserved: never given to anyone else, even while the user is
 *       offline. A static address may lie outside the range (the routes still point at the TUN).
 *   <li>No two live sessions share an address; a user with a static address therefore has at most
 *       one session on it.
 *   <li>Released addresses go to the back of the free list and the user's last address is
 *       remembered, so a user who reconnects gets the previous address back when it is still free.
 *   <li>Held addresses (leases of sessions that may outlive a restart, {@link #hold}) go to nobody
 *       but their user until the hold ends; that user's next dynamic lease takes one of them.
 *   <li>Pure: no clock; the caller passes the time, used to stamp leases and to end holds.
 * </ul>
 *
 * Not thread-safe: one owner (the control thread) calls it.
 */
public final class AddressPool {
  private final PoolRange range;
  private final Ipv4Address gateway;
  private final LinkedHashSet<Ipv4Address> free = new LinkedHashSet<>();
  private final Map<String, Ipv4Address> reservations = new HashMap<>();
  private final Map<Ipv4Address, String> reservedBy = new HashMap<>();
  private final Map<LeaseKey, Lease> byKey = new LinkedHashMap<>();
  private final Map<Ipv4Address, Lease> byAddress = new HashMap<>();
  private final Map<String, Set<String>> sessionsByUser = new HashMap<>();
  private final Map<String, Ipv4Address> previous = new HashMap<>();
  private final Map<Ipv4Address, Hold> holds = new LinkedHashMap<>();
  private long changes;

  /** An address a session from before a restart may still use, until {@code untilMillis}. */
  public record Hold(String user, Ipv4Address address, long untilMillis) {}

  /** A lease's identity: the user and the session (an IKE SA, an L2TP session). */
  public record LeaseKey(String user, String sessionId) {}

  /**
   * A pool over {@code range} without {@code gateway} (may be null) and with the static addresses
   * of {@code reservations} (user → address) set aside.
   */
  public AddressPool(PoolRange range, Ipv4Address gateway, Map<String, Ipv4Address> reservations) {
    this.range = range;
    this.gateway = gateway;
    for (long a = range.first().unsigned(); a <= range.last().unsigned(); a++) {
      Ipv4Address addr = new Ipv4Address((int) a);
      if (!addr.equals(gateway)) {
        free.add(addr);
      }
    }
    for (Map.Entry<String, Ipv4Address> r : reservations.entrySet()) {
      String problem = reserve(r.getKey(), r.getValue());
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
  }

  /** A pool from a spec ({@code 10.99.99.0/24} or a range) without reservations. */
  public static AddressPool of(String spec, Ipv4Address gateway) {
    return new AddressPool(PoolRange.parse(spec), gateway, Map.of());
  }

  /**
   * Reserves {@code address} as {@code user}'s static address (replacing an earlier one); returns
   * null, or why it cannot be reserved (the gateway's address, another user's reservation or live
   * session).
   */
  public String reserve(String user, Ipv4Address address) {
    if (address.equals(gateway)) {
      return "static address " + address + " of " + user + " is the gateway's own address";
    }
    String owner = reservedBy.get(address);
    if (owner != null && !owner.equals(user)) {
      return "static address " + address + " of " + user + " is already reserved for " + owner;
    }
    Lease live = byAddress.get(address);
    if (live != null && !live.user().equals(user)) {
      return "static address " + address + " of " + user + " is in use by " + live.user();
    }
    unreserve(user);
    reservations.put(user, address);
    reservedBy.put(address, user);
    free.remove(address);
    return null;
  }

  /** Drops {@code user}'s reservation; the address returns to the free list when unleased. */
  public void unreserve(String user) {
    Ipv4Address old = reservations.remove(user);
    if (old != null) {
      reservedBy.remove(old);
      if (!byAddress.containsKey(old) && range.contains(old) && !holds.containsKey(old)) {
        free.add(old);
      }
    }
  }

  /**
   * Leases an address to a session. {@code requested} is a static address from elsewhere (RADIUS
   * Framed-IP-Address) or null to use the user's reservation or a dynamic address; {@code
   * maxSessions} ≤ 0 means no per-user limit.
   */
  public LeaseResult lease(
      String user, String sessionId, Ipv4Address requested, int maxSessions, long nowMillis) {
    LeaseKey key = new LeaseKey(user, sessionId);
    Lease existing = byKey.get(key);
    if (existing != null) {
      return new Granted(existing);
    }
    expireHolds(nowMillis);
    int live = sessionsByUser.getOrDefault(user, Set.of()).size();
    if (maxSessions > 0 && live >= maxSessions) {
      return new Refused(
          Reason.SESSION_LIMIT,
          user
              + " already has "
              + live
              + " session"
              + (live == 1 ? "" : "s")
              + " (max_sessions="
              + maxSessions
              + "); the new session gets no address");
    }
    Ipv4Address fixed = requested != null ? requested : reservations.get(user);
    if (fixed != null) {
      return leaseFixed(key, fixed, nowMillis);
    }
    Ipv4Address held = takeHeld(user);
    Ipv4Address prev = previous.get(user);
    Ipv4Address chosen =
        held != null ? held : prev != null && free.remove(prev) ? prev : takeFirstFree();
    if (chosen == null) {
      return new Refused(
          Reason.EXHAUSTED,
          "address pool "
              + range
              + " exhausted: all "
              + capacity()
              + " addresses are leased ("
              + byKey.size()
              + " sessions); enlarge the pool or lower max_sessions");
    }
    return new Granted(record(key, chosen, nowMillis, false));
  }

  private LeaseResult leaseFixed(LeaseKey key, Ipv4Address fixed, long nowMillis) {
    String owner = reservedBy.get(fixed);
    if (fixed.equals(gateway) || (owner != null && !owner.equals(key.user()))) {
      return new Refused(
          Reason.STATIC_RESERVED_FOR_OTHER,
          "static address "
              + fixed
              + " of "
              + key.user()
              + " is "
              + (owner == null ? "the gateway's own address" : "reserved for " + owner));
    }
    Hold hold = holds.get(fixed);
    if (hold != null && !hold.user().equals(key.user())) {
      return new Refused(
          Reason.STATIC_IN_USE,
          "static address "
              + fixed
              + " of "
              + key.user()
              + " may still be in use by a session of "
              + hold.user()
              + " from before the restart");
    }
    holds.remove(fixed);
    Lease holder = byAddress.get(fixed);
    if (holder != null) {
      return new Refused(
          Reason.STATIC_IN_USE,
          "static address "
              + fixed
              + " of "
              + key.user()
              + " is in use by session "
              + holder.sessionId()
              + " of "
              + holder.user()
              + " (one address carries one session; set max_sessions=1 for this user)");
    }
    free.remove(fixed);
    return new Granted(record(key, fixed, nowMillis, true));
  }

  /**
   * Holds {@code address} for {@code user} until {@code untilMillis}: a session from before a
   * restart may still use it. Ignored when the address is outside the range, the gateway's, leased,
   * or reserved for someone else. Returns whether it is held.
   */
  public boolean hold(String user, Ipv4Address address, long untilMillis) {
    String owner = reservedBy.get(address);
    if (!range.contains(address)
        || address.equals(gateway)
        || byAddress.containsKey(address)
        || (owner != null && !owner.equals(user))) {
      return false;
    }
    if (owner == null && !free.remove(address) && !holds.containsKey(address)) {
      return false;
    }
    holds.put(address, new Hold(user, address, untilMillis));
    changes++;
    return true;
  }

  /** Ends the holds whose time is up (their addresses become free). */
  public void expireHolds(long nowMillis) {
    for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
      Hold h = it.next();
      if (h.untilMillis() <= nowMillis) {
        it.remove();
        if (!reservedBy.containsKey(h.address())) {
          free.add(h.address());
        }
        changes++;
      }
    }
  }

  /** The holds in force. */
  public List<Hold> holds() {
    return List.copyOf(holds.values());
  }

  /** A counter that moves whenever a lease or a hold is made or ends (for persistence). */
  public long changes() {
    return changes;
  }

  private Ipv4Address takeHeld(String user) {
    for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
      Hold h = it.next();
      if (h.user().equals(user) && !reservedBy.containsKey(h.address())) {
        it.remove();
        return h.address();
      }
    }
    return null;
  }

  private Ipv4Address takeFirstFree() {
    Iterator<Ipv4Address> it = free.iterator();
    if (!it.hasNext()) {
      return null;
    }
    Ipv4Address a = it.next();
    it.remove();
    return a;
  }

  private Lease record(LeaseKey key, Ipv4Address address, long nowMillis, boolean fixed) {
    Lease lease = new Lease(key.user(), key.sessionId(), address, nowMillis, fixed);
    byKey.put(key, lease);
    byAddress.put(address, lease);
    sessionsByUser.computeIfAbsent(key.user(), u -> new LinkedHashSet<>()).add(key.sessionId());
    changes++;
    return lease;
  }

  /** Releases a session's lease (the moment any layer of the session dies); empty if none. */
  public Optional<Lease> release(String user, String sessionId) {
    Lease lease = byKey.remove(new LeaseKey(user, sessionId));
    if (lease == null) {
      return Optional.empty();
    }
    byAddress.remove(lease.address());
    changes++;
    Set<String> sessions = sessionsByUser.get(user);
    sessions.remove(sessionId);
    if (sessions.isEmpty()) {
      sessionsByUser.remove(user);
    }
    Ipv4Address a = lease.address();
    if (range.contains(a) && !reservedBy.containsKey(a)) {
      free.add(a);
      previous.put(user, a);
    }
    return Optional.of(lease);
  }

  /** Releases every session of {@code user} (kick); returns the released leases. */
  public List<Lease> releaseAll(String user) {
    List<Lease> out = new ArrayList<>();
    for (String s : List.copyOf(sessionsByUser.getOrDefault(user, Set.of()))) {
      release(user, s).ifPresent(out::add);
    }
    return out;
  }

  /** The live lease on {@code address}, if any. */
  public Optional<Lease> leaseOf(Ipv4Address address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** All live leases, oldest first. */
  public List<Lease> leases() {
    return List.copyOf(byKey.values());
  }

  /** The number of live sessions of {@code user}. */
  public int sessionsOf(String user) {
    return sessionsByUser.getOrDefault(user, Set.of()).size();
  }

  /** Addresses free for dynamic leases now. */
  public int freeCount() {
    return free.size();
  }

  /** Addresses of the range that can ever be leased dynamically (without gateway and reserved). */
  public int capacity() {
    int c = range.size();
    if (gateway != null && range.contains(gateway)) {
      c--;
    }
    for (Ipv4Address r : reservedBy.keySet()) {
      if (range.contains(r)) {
        c--;
      }
    }
    return c;
  }

  public PoolRange range() {
    return range;
  }
}
