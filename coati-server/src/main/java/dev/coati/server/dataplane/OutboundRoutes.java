package dev.coati.server.dataplane;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tunnel-mode children the TUN thread routes to: a longest-prefix table over their remote
 * selectors (a road warrior's /32 is one hash probe), filtered by the local selector (RFC 4301's
 * SPD match). Installing or removing a child copies only the buckets of its addresses; the TUN
 * thread reads without locking or allocating. Also the set of children with a kilobyte lifetime,
 * the only ones the per-tick volume check looks at.
 */
final class OutboundRoutes {
  /** An outbound packet's source must also lie in the child's local selector. */
  private static final PrefixTable.Match<DataPlane.Route> LOCAL_MATCHES =
      (r, p, off) -> r.child().local().containsIpv4(p, off + 12);

  private final PrefixTable<DataPlane.Route> table = new PrefixTable<>();
  private final Set<DataPlane.Route> volumeLimited = ConcurrentHashMap.newKeySet();

  /** Adds a route; false (and nothing added) when its remote selector is not IPv4. */
  synchronized boolean add(DataPlane.Route r) {
    byte[] from = r.remote().from();
    if (from.length != 4) {
      return false;
    }
    table.add(ipv4(from, 0), ipv4(r.remote().to(), 0), r);
    if (r.child().lifeKilobytes() > 0) {
      volumeLimited.add(r);
    }
    return true;
  }

  /** Removes what {@link #add} added for {@code r}. */
  synchronized void remove(DataPlane.Route r) {
    byte[] from = r.remote().from();
    if (from.length == 4) {
      table.remove(ipv4(from, 0), ipv4(r.remote().to(), 0), r);
    }
    volumeLimited.remove(r);
  }

  /**
   * The route of the IPv4 packet at {@code p[off]}: destination in the remote selector, source in
   * the local one; the most specific remote selector wins, among equally specific ones the newest.
   */
  DataPlane.Route lookup(byte[] p, int off) {
    return table.lookup(ipv4(p, off + 16), p, off, LOCAL_MATCHES);
  }

  /** Children with a kilobyte lifetime (iterate on the socket thread, per tick). */
  Iterable<DataPlane.Route> volumeLimited() {
    return volumeLimited;
  }

  static int ipv4(byte[] p, int off) {
    return (p[off] & 0xff) << 24
        | (p[off + 1] & 0xff) << 16
        | (p[off + 2] & 0xff) << 8
        | (p[off + 3] & 0xff);
  }
}
