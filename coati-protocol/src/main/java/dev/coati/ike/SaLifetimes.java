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
 *       route through. A child the peer started and has not rekeyed by 95% we rekey ourselves.
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
      if (!c.initiatedByUs() && now >= peerRekeyDue(c) && now < c.hardExpiry()) {
        rekeyForPeer(sa, c);
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
      return expire(sa);
    }
    if (age >= life * 900 && sa.isInitiator() && !reauthOf.containsValue(sa)) {
      LOG.log(Level.INFO, "{0} re-authenticating with {1}", sa.name(), sa.peer());
      IkeSa fresh = engine.initiate(sa.local(), sa.peer(), sa.mode(), true);
      reauthOf.put(fresh, sa);
    }
    return true;
  }

  /**
   * An ISAKMP SA reached its lifetime. Its IPsec SAs do not die with it (RFC 2409 section 5.7;
   * IKEv1 clients keep using them): a newer ISAKMP SA with the same peer, identity and user takes
   * them over (as when the peer deletes the old one after re-authenticating); without one the
   * expired SA keeps them, starting nothing, until their own lifetime or a new phase 1 adopts them.
   * Returns false if the SA is gone.
   */
  private boolean expire(IkeSa sa) {
    if (sa.children().isEmpty()) {
      engine.delete(sa, "lifetime expired");
      return false;
    }
    if (ChildRegistry.heir(sa, engine.sas()) != null) {
      engine.retire(sa);
      return false;
    }
    sa.exchanges().abortAll("ISAKMP SA lifetime expired");
    sa.expirePhase1();
    LOG.log(
        Level.INFO,
        "{0} ISAKMP SA lifetime expired: its {1} IPsec SAs live on until their own lifetime or a"
            + " new phase 1 with {2}",
        sa.name(),
        sa.children().size(),
        sa.peer());
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

  /**
   * When we rekey a child the peer started and has not rekeyed itself: at 95% of its life, after
   * the peer's own 90% (strongSwan and racoon rekey by then; Libreswan ignores RESPONDER-LIFETIME
   * and would renegotiate only after our Delete, losing packets in between).
   */
  private static long peerRekeyDue(ChildSa c) {
    return c.lifeSeconds() <= 0 ? Long.MAX_VALUE : c.establishedAt() + c.lifeSeconds() * 950;
  }

  private void rekeyForPeer(IkeSa sa, ChildSa c) {
    if (sa.phase1Expired() || superseded(sa, c) || !rekeyed.add(c)) {
      return;
    }
    int mode = c.transform().tunnel() ? IpsecAttr.TUNNEL : IpsecAttr.TRANSPORT;
    LOG.log(Level.INFO, "{0} rekeying {1} the peer has not rekeyed", sa.name(), c);
    engine.startChild(sa, rekeyOf(c, mode));
  }

  /** A new child for the traffic of {@code c}, with its PFS group (RFC 2409 section 5.5). */
  private static ChildRequest rekeyOf(ChildSa c, int mode) {
    return new ChildRequest(c.local(), c.remote(), mode, false, c.transform().pfsGroup());
  }

  /** A newer child for the same traffic exists (the peer or we rekeyed {@code c}). */
  private static boolean superseded(IkeSa sa, ChildSa c) {
    for (ChildSa d : sa.children()) {
      if (d != c
          && d.establishedAt() >= c.establishedAt()
          && d.local().equals(c.local())
          && d.remote().equals(c.remote())) {
        return true;
      }
    }
    return false;
  }

  private void rekey(IkeSa sa, ChildSa c) {
    if (!c.initiatedByUs() || sa.phase1Expired() || !rekeyed.add(c)) {
      return;
    }
    int mode = c.transform().tunnel() ? IpsecAttr.TUNNEL : IpsecAttr.TRANSPORT;
    LOG.log(Level.INFO, "{0} rekeying {1}", sa.name(), c);
    engine.startChild(sa, rekeyOf(c, mode));
  }
}
