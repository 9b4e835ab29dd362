package dev.coati.ike;

import dev.coati.ike.wire.IpsecAttr;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lifetimes of IKE and child SAs (RFC 2407 section 4.5 SA Life Type seconds and kilobytes).
 *
 * <ul>
 *   <li>A child's negotiator rekeys it at its soft lifetime (90% of the time, or of the volume the
 *       data plane counted) with a new quick mode for the same traffic, make-before-break; either
 *       side deletes it at the hard lifetime. A peer that rekeys first leaves a newer child to
 *       route through.
 *   <li>An ISAKMP SA we initiated is re-authenticated at 90% of its lifetime: a new phase 1 with
 *       the same peer (no INITIAL-CONTACT, so the peer keeps our IPsec SAs), and once it is up the
 *       old one is retired (Delete for the ISAKMP SA only; its IPsec SAs move to the new one, RFC
 *       2409 section 5.7, as strongSwan's IKEv1 reauthentication does). Any ISAKMP SA still alive
 *       at its hard lifetime is deleted.
 * </ul>
 */
final class SaLifetimes {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  private final IkeEngine engine;
  private final Set<ChildSa> rekeyed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<IkeSa, IkeSa> reauthOf = new IdentityHashMap<>();

  SaLifetimes(IkeEngine engine) {
    this.engine = engine;
  }

  /** Timers of one established SA; returns false if the SA was deleted. */
  boolean tick(IkeSa sa, long now) {
    if (sa.state() != IkeSa.State.ESTABLISHED) {
      return true;
    }
    for (ChildSa c : sa.children()) {
      if (now >= c.hardExpiry()) {
        LOG.log(Level.INFO, "{0} {1} expired", sa.name(), c);
        expire(sa, c);
      } else if (now >= c.softExpiry()) {
        rekey(sa, c);
      }
    }
    if (sa.phase1Expired()) {
      if (sa.children().isEmpty()) {
        engine.removeExpired(sa);
        return false;
      }
      return true;
    }
    long life = sa.transform().map(Phase1Transform::lifeSeconds).orElse(0L);
    if (life <= 0) {
      return true;
    }
    long age = now - sa.establishedAt();
    if (age >= life * 1000) {
      return engine.expire(sa);
    }
    if (age >= life * 900 && sa.isInitiator() && !reauthOf.containsValue(sa)) {
      LOG.log(Level.INFO, "{0} re-authenticating with {1}", sa.name(), sa.peer());
      IkeSa fresh = engine.initiate(sa.local(), sa.peer(), sa.mode(), true);
      reauthOf.put(fresh, sa);
    }
    return true;
  }

  /** The data plane counted a child's volume past its soft or hard kilobyte lifetime. */
  void volume(IkeSa sa, ChildSa c, boolean hard) {
    if (!sa.children().contains(c)) {
      return;
    }
    if (hard) {
      LOG.log(Level.INFO, "{0} {1} reached its kilobyte lifetime", sa.name(), c);
      expire(sa, c);
    } else {
      rekey(sa, c);
    }
  }

  /** A phase 1 is up: if it re-authenticated an older SA, retire that one now. */
  void established(IkeSa sa) {
    IkeSa old = reauthOf.remove(sa);
    if (old != null && old.state() == IkeSa.State.ESTABLISHED) {
      engine.retire(old);
    }
  }

  /** An SA is gone: forget what we planned for it. */
  void removed(IkeSa sa) {
    reauthOf.remove(sa);
    reauthOf.values().remove(sa);
    rekeyed.removeAll(sa.children());
  }

  private void expire(IkeSa sa, ChildSa c) {
    rekeyed.remove(c);
    engine.deleteChild(sa, c);
  }

  private void rekey(IkeSa sa, ChildSa c) {
    if (!c.initiatedByUs() || sa.phase1Expired() || !rekeyed.add(c)) {
      return;
    }
    int mode = c.transform().tunnel() ? IpsecAttr.TUNNEL : IpsecAttr.TRANSPORT;
    LOG.log(Level.INFO, "{0} rekeying {1}", sa.name(), c);
    engine.startChild(sa, new ChildRequest(c.local(), c.remote(), mode));
  }
}
