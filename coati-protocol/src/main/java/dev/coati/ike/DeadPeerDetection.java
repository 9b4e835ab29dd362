package dev.coati.ike;

import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.List;

/**
 * Dead peer detection (RFC 3706): answer R-U-THERE with R-U-THERE-ACK, and probe a peer that
 * announced DPD once it has been silent for the configured delay. Probes repeat every delay with a
 * new sequence number; no acknowledgement within the timeout means the peer is dead.
 */
final class DeadPeerDetection {
  private long nextSeq;
  private long firstUnacked = -1;
  private long probeStarted;
  private long lastProbe;

  DeadPeerDetection(long initialSeq) {
    this.nextSeq = initialSeq & 0x7fffffffL;
  }

  /** Handles R-U-THERE / R-U-THERE-ACK; returns true if the notify was one of them. */
  boolean onNotify(IkeSa sa, NotifyPayload n) {
    if (n.notifyType().equals(NotifyType.R_U_THERE)) {
      Informational.sendProtected(sa, List.of(notify(sa, NotifyType.R_U_THERE_ACK, n.data())));
      return true;
    }
    if (n.notifyType().equals(NotifyType.R_U_THERE_ACK)) {
      if (firstUnacked >= 0 && n.data().length == 4) {
        long seq = new ByteReader(n.data()).u32();
        if (seq >= firstUnacked && seq < nextSeq) {
          firstUnacked = -1;
        }
      }
      return true;
    }
    return false;
  }

  /** Outcome of a timer check. */
  enum Verdict {
    ALIVE,
    PROBED,
    DEAD
  }

  /** Probes or declares dead according to the silence since {@link IkeSa#lastSeen()}. */
  Verdict tick(IkeSa sa, long now, long delayMillis, long timeoutMillis) {
    if (delayMillis <= 0 || !sa.peerFeatures().contains(PeerFeature.DPD)) {
      return Verdict.ALIVE;
    }
    if (firstUnacked >= 0) {
      if (now - probeStarted >= timeoutMillis) {
        return Verdict.DEAD;
      }
      if (now - lastProbe >= delayMillis) {
        probe(sa, now);
        return Verdict.PROBED;
      }
      return Verdict.ALIVE;
    }
    if (now - sa.lastSeen() >= delayMillis) {
      firstUnacked = nextSeq;
      probeStarted = now;
      probe(sa, now);
      return Verdict.PROBED;
    }
    return Verdict.ALIVE;
  }

  private void probe(IkeSa sa, long now) {
    lastProbe = now;
    byte[] seq = new ByteWriter(4).i32((int) nextSeq++).toByteArray();
    Informational.sendProtected(sa, List.of(notify(sa, NotifyType.R_U_THERE, seq)));
  }

  private static NotifyPayload notify(IkeSa sa, NotifyType type, byte[] data) {
    return new NotifyPayload(
        Informational.DOI_IPSEC, ProtocolId.ISAKMP, type, Informational.cookies(sa), data);
  }
}
