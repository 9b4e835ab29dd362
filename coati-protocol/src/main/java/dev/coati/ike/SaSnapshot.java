package dev.coati.ike;

import dev.coati.crypto.Secret;
import dev.coati.ike.wire.IdPayload;
import java.util.List;
import java.util.Set;

/**
 * What a restarted gateway needs to resume an established ISAKMP SA and its IPsec SAs without the
 * peer noticing (see {@link SaResumption} and {@link SaSnapshotCodec}): cookies, transform, the
 * phase-1 keys and the last phase-1 CBC block (phase-2 and informational IVs derive from it), where
 * the peer is and what it announced, the Xauth user and its address, and each child with an
 * outbound sequence number reserved ahead of the one in use, so no sequence number is ever sent
 * twice with the same key. The secrets belong to whoever holds the snapshot: destroy them (see
 * {@link #destroy}) or hand them to {@link IkeEngine#resume}.
 *
 * @param establishedAt when phase 1 finished (epoch ms of the engine's clock)
 * @param peerId the peer's phase-1 identity, or null
 * @param user the Xauth user, or null
 * @param virtualAddress the address mode config gave the peer, or null
 */
public record SaSnapshot(
    boolean initiator,
    long initiatorCookie,
    long responderCookie,
    PeerAddress local,
    PeerAddress peer,
    int exchangeType,
    Phase1Transform transform,
    IdPayload peerId,
    Set<PeerFeature> features,
    int microsoftVersion,
    Secret skeyidD,
    Secret skeyidA,
    Secret encryptionKey,
    byte[] phase1Iv,
    long establishedAt,
    NatVariant natVariant,
    boolean localBehindNat,
    boolean peerBehindNat,
    boolean phase1Expired,
    String user,
    byte[] virtualAddress,
    List<Child> children) {

  public SaSnapshot {
    features = Set.copyOf(features);
    children = List.copyOf(children);
    phase1Iv = phase1Iv.clone();
    virtualAddress = virtualAddress == null ? null : virtualAddress.clone();
  }

  /**
   * One IPsec SA pair, the outbound sequence number to continue from after a restart (never below
   * any number sent before it) and the highest inbound one received when it was saved (numbers up
   * to it are refused as replays after the restart).
   */
  public record Child(ChildSa sa, long outboundSequence, long inboundHighest) {}

  @Override
  public byte[] phase1Iv() {
    return phase1Iv.clone();
  }

  @Override
  public byte[] virtualAddress() {
    return virtualAddress == null ? null : virtualAddress.clone();
  }

  /** The latest hard expiry of the ISAKMP SA and its children (epoch ms; MAX_VALUE: none). */
  public long expiry() {
    long life = transform.lifeSeconds();
    long end =
        phase1Expired ? Long.MIN_VALUE : life <= 0 ? Long.MAX_VALUE : establishedAt + life * 1000;
    for (Child c : children) {
      end = Math.max(end, c.sa().hardExpiry());
    }
    return end;
  }

  /** The ISAKMP SA's name in log lines, as {@link IkeSa#name()}. */
  public String name() {
    return String.format("ike[%016x]", initiatorCookie);
  }

  /** Destroys every key in the snapshot. */
  public void destroy() {
    for (Secret s : new Secret[] {skeyidD, skeyidA, encryptionKey}) {
      if (!s.isDestroyed()) {
        s.destroy();
      }
    }
    for (Child c : children) {
      if (!c.sa().inboundKeymat().isDestroyed()) {
        c.sa().destroy();
      }
    }
  }

  @Override
  public String toString() {
    return name() + " " + peer + " children=" + children.size();
  }
}
