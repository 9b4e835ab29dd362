package dev.coati.ike;

import dev.coati.crypto.Secret;
import dev.coati.ike.wire.ExchangeType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Takes an established ISAKMP SA apart into an {@link SaSnapshot} and puts one back together after
 * a restart, so that clients without DPD (strongSwan with dpd off, vpnc) never notice the gateway
 * died: they ignore the unauthenticated INVALID-SPI notifies a gateway without their SAs could
 * send. The restored SA is established: DPD, Delete, kick, rekeys and phase-2 exchanges work on it
 * (their IVs derive from the saved last phase-1 block). Exchanges in flight at the crash are lost;
 * the peer retransmits or restarts them.
 */
public final class SaResumption {
  private SaResumption() {}

  /**
   * A snapshot of {@code sa} (copies of its keys), each child with the outbound sequence number
   * {@code sequence} reserves for it and the highest inbound one {@code received} says it got; null
   * unless the SA is established with keys.
   */
  public static SaSnapshot capture(
      IkeSa sa, ToLongFunction<ChildSa> sequence, ToLongFunction<ChildSa> received) {
    if (sa.state() != IkeSa.State.ESTABLISHED || !sa.hasKeys() || sa.transform().isEmpty()) {
      return null;
    }
    byte[] iv = sa.ivs().current(0);
    if (iv == null) {
      return null;
    }
    List<SaSnapshot.Child> children = new ArrayList<>();
    for (ChildSa c : sa.children()) {
      ChildSa copy =
          new ChildSa(
              c.messageId(),
              c.transform(),
              c.inboundSpi(),
              c.outboundSpi(),
              Secret.copyOf(c.inboundKeymat().bytes()),
              Secret.copyOf(c.outboundKeymat().bytes()),
              c.local(),
              c.remote(),
              c.lifeSeconds(),
              c.lifeKilobytes(),
              c.establishedAt(),
              c.initiatedByUs(),
              c.peerOriginalAddress());
      children.add(new SaSnapshot.Child(copy, sequence.applyAsLong(c), received.applyAsLong(c)));
    }
    return new SaSnapshot(
        sa.isInitiator(),
        sa.initiatorCookie(),
        sa.responderCookie(),
        sa.local(),
        sa.peer(),
        sa.mode().code(),
        sa.transform().orElseThrow(),
        sa.peerId().orElse(null),
        sa.peerFeatures(),
        sa.microsoftVersion(),
        Secret.copyOf(sa.skeyidD().bytes()),
        Secret.copyOf(sa.skeyidA().bytes()),
        Secret.copyOf(sa.encryptionKey().bytes()),
        iv,
        sa.establishedAt(),
        sa.natVariant(),
        sa.localBehindNat(),
        sa.peerBehindNat(),
        sa.phase1Expired(),
        sa.user().orElse(null),
        sa.virtualAddress().orElse(null),
        children);
  }

  /** The IKE SA of {@code s}, established, without its children (the engine adds them). */
  static IkeSa restore(SaSnapshot s, IkeContext ctx) {
    ExchangeType mode = ExchangeType.valueOf(s.exchangeType());
    if (!mode.equals(ExchangeType.IDENTITY_PROTECTION) && !mode.equals(ExchangeType.AGGRESSIVE)) {
      throw new IllegalArgumentException("phase 1 mode " + s.exchangeType());
    }
    IkeSa sa =
        new IkeSa(
            s.initiator(),
            s.initiatorCookie(),
            s.responderCookie(),
            s.local(),
            s.peer(),
            mode,
            ctx);
    sa.setTransform(s.transform());
    sa.setKeys(s.skeyidD(), s.skeyidA(), s.encryptionKey(), s.phase1Iv());
    if (s.peerId() != null) {
      sa.setPeerId(s.peerId());
    }
    sa.addFeatures(s.features(), s.microsoftVersion());
    sa.setNatVariant(s.natVariant());
    sa.setNat(s.localBehindNat(), s.peerBehindNat());
    if (s.user() != null) {
      sa.setUser(s.user());
    }
    if (s.virtualAddress() != null) {
      sa.setVirtualAddress(s.virtualAddress());
    }
    sa.resumed(s.establishedAt());
    if (s.phase1Expired()) {
      sa.expirePhase1();
    }
    return sa;
  }
}
