package dev.coati.server.dataplane;

/**
 * What a session moved, from the client's point of view as RADIUS counts it (RFC 2866 section 5.3,
 * 5.4): {@code in} is what the client sent to the gateway, {@code out} what the gateway sent to the
 * client. Octets are those of the client's IP packets (inside ESP, or inside PPP for L2TP).
 */
public record Traffic(long inOctets, long outOctets, long inPackets, long outPackets) {
  public static final Traffic ZERO = new Traffic(0, 0, 0, 0);

  /** Both added up. */
  public Traffic plus(Traffic o) {
    return new Traffic(
        inOctets + o.inOctets,
        outOctets + o.outOctets,
        inPackets + o.inPackets,
        outPackets + o.outPackets);
  }
}
