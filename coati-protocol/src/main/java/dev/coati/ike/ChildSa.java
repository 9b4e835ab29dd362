package dev.coati.ike;

import dev.coati.crypto.Secret;

/**
 * A negotiated ESP SA pair. {@code inboundSpi} is ours (the peer sends to it), {@code outboundSpi}
 * the peer's. Each keymat holds the cipher key (plus the 4-byte GCM salt) followed by the integrity
 * key, as RFC 2409 section 5.5 derives them for that direction's SPI. {@code peerOriginalAddress}
 * is the peer's NAT-OA (UDP-encapsulated transport mode), or null.
 */
public record ChildSa(
    int messageId,
    Phase2Transform transform,
    int inboundSpi,
    int outboundSpi,
    Secret inboundKeymat,
    Secret outboundKeymat,
    TrafficSelector local,
    TrafficSelector remote,
    long lifeSeconds,
    long lifeKilobytes,
    long establishedAt,
    boolean initiatedByUs,
    byte[] peerOriginalAddress) {

  /** Soft lifetime: the initiator of the child rekeys at 90% of the negotiated life. */
  public long softExpiry() {
    return lifeSeconds <= 0 ? Long.MAX_VALUE : establishedAt + lifeSeconds * 900;
  }

  /** Hard lifetime: the SA is deleted. */
  public long hardExpiry() {
    return lifeSeconds <= 0 ? Long.MAX_VALUE : establishedAt + lifeSeconds * 1000;
  }

  @Override
  public String toString() {
    return String.format(
        "child[%08x/%08x %s %s === %s]",
        inboundSpi, outboundSpi, transform.tunnel() ? "tunnel" : "transport", local, remote);
  }

  /** Destroys both keymats (when the SA is deleted). */
  public void destroy() {
    inboundKeymat.destroy();
    outboundKeymat.destroy();
  }
}
