package dev.coati.ike;

import dev.coati.util.ByteReader;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Child SAs of all IKE SAs: unique inbound SPIs, registration, removal with key destruction. */
final class ChildRegistry {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  private final IkeContext ctx;
  private final EngineCounters counters;
  private final Set<Integer> spis = new HashSet<>();

  ChildRegistry(IkeContext ctx, EngineCounters counters) {
    this.ctx = ctx;
    this.counters = counters;
  }

  /** What a quick mode of {@code sa} uses to get an SPI and to hand over its finished child. */
  QuickModeTask.ChildSaSink sink(IkeSa sa) {
    return new QuickModeTask.ChildSaSink() {
      @Override
      public int allocateSpi() {
        for (int i = 0; i < 64; i++) {
          int spi = ctx.random().nextInt();
          if (Integer.compareUnsigned(spi, 0x100) >= 0 && spis.add(spi)) {
            return spi;
          }
        }
        throw new IllegalStateException("no free SPI");
      }

      @Override
      public void established(ChildSa child) {
        sa.addChild(child);
        counters.childEstablished++;
        LOG.log(Level.DEBUG, "{0} {1} established", sa.name(), child);
        ctx.listener().childEstablished(sa, child);
      }
    };
  }

  /** Whether {@code spi} is one of our inbound SPIs, installed or offered in a quick mode. */
  boolean allocated(int spi) {
    return spis.contains(spi);
  }

  /** Claims the inbound SPIs of a saved SA's children; false (none claimed) if one is taken. */
  boolean reserve(SaSnapshot s) {
    List<Integer> mine = s.children().stream().map(c -> c.sa().inboundSpi()).toList();
    if (mine.stream().anyMatch(spis::contains) || Set.copyOf(mine).size() != mine.size()) {
      return false;
    }
    spis.addAll(mine);
    return true;
  }

  /** A child saved before a restart is back on {@code sa} (its SPI was {@link #reserve}d). */
  void resumed(IkeSa sa, ChildSa child) {
    sa.addChild(child);
    ctx.listener().childEstablished(sa, child);
  }

  /** Removes a child: frees its SPI, tells the listener, destroys its keys. */
  void drop(IkeSa sa, ChildSa c) {
    if (sa.removeChild(c)) {
      spis.remove(c.inboundSpi());
      ctx.listener().childDeleted(sa, c);
      c.destroy();
    }
  }

  /**
   * A peer that re-authenticates phase 1 (strongSwan's IKEv1 rekey) builds a new ISAKMP SA and
   * deletes the old one; in IKEv1 the IPsec SAs outlive it (RFC 2409 section 5.7), so they move to
   * the newest established ISAKMP SA with the same peer and identity instead of dying.
   */
  void adopt(IkeSa old, Collection<IkeSa> sas) {
    IkeSa heir = heir(old, sas);
    if (heir != null) {
      move(old, heir);
    }
  }

  /**
   * The newest live ISAKMP SA with {@code old}'s peer address and identity (and, for a road
   * warrior, the same Xauth user), or null.
   */
  static IkeSa heir(IkeSa old, Collection<IkeSa> sas) {
    IkeSa heir = null;
    PeerAddress peer = old.peer();
    for (IkeSa s : sas) {
      // the address first: it rules out nearly every SA, and compares without copying
      if (s != old
          && s.peer().sameAddress(peer)
          && s.state() == IkeSa.State.ESTABLISHED
          && !s.phase1Expired()
          && s.peerId().equals(old.peerId())
          && (old.user().isEmpty() || old.user().equals(s.user()))
          && (old.virtualAddress().isEmpty() || s.virtualAddress().isPresent())
          && (heir == null || s.establishedAt() >= heir.establishedAt())) {
        heir = s;
      }
    }
    return heir;
  }

  /**
   * A new phase 1 with a peer whose ISAKMP SA expired (racoon lets it lapse and negotiates anew
   * when it needs one): the IPsec SAs the expired one still holds move to {@code heir}, and the
   * expired SA is handed to {@code gone}. {@code expired}: the SAs whose phase 1 expired (few; not
   * every SA, so a handshake costs no pass over the whole table).
   */
  void adoptExpired(IkeSa heir, Collection<IkeSa> expired, Consumer<IkeSa> gone) {
    for (IkeSa old : List.copyOf(expired)) {
      if (old.phase1Expired() && heir(old, List.of(heir)) == heir) {
        move(old, heir);
        gone.accept(old);
      }
    }
  }

  /** Moves every child of {@code old} to {@code heir}. */
  void move(IkeSa old, IkeSa heir) {
    for (ChildSa c : old.children()) {
      old.removeChild(c);
      heir.addChild(c);
    }
    LOG.log(Level.INFO, "{0} handed its child SAs to {1}", old.name(), heir.name());
  }

  /** The peer deleted IPsec SAs by its inbound SPIs (our outbound ones). */
  void dropByOutboundSpis(IkeSa sa, List<byte[]> spis) {
    for (byte[] spi : spis) {
      if (spi.length != 4) {
        continue;
      }
      int outbound = new ByteReader(spi).i32();
      for (ChildSa c : sa.children()) {
        if (c.outboundSpi() == outbound) {
          drop(sa, c);
        }
      }
    }
  }
}
