package dev.coati.ike;

import dev.coati.crypto.DhGroup;
import dev.coati.ike.wire.IpsecAttr;

/**
 * What an initiator wants from quick mode: the traffic to protect and how. {@code encapsulation} is
 * the RFC 2407/3947 mode value (tunnel 1, transport 2, UDP tunnel 3, UDP transport 4). With {@code
 * commit} the initiator sets the commit bit (RFC 2408 section 3.1) and installs the SA only after
 * the responder's CONNECTED notify. {@code pfs}: for a rekey, the PFS group of the child it
 * replaces (offered unless our PFS policy is {@code none}: Libreswan, whose child used PFS, refuses
 * a rekey without it); null lets the PFS policy decide.
 */
public record ChildRequest(
    TrafficSelector local, TrafficSelector remote, int encapsulation, boolean commit, DhGroup pfs) {
  public ChildRequest(TrafficSelector local, TrafficSelector remote, int encapsulation) {
    this(local, remote, encapsulation, false, null);
  }

  public ChildRequest(
      TrafficSelector local, TrafficSelector remote, int encapsulation, boolean commit) {
    this(local, remote, encapsulation, commit, null);
  }

  /** Tunnel mode (plain or UDP-encapsulated, RFC or draft value)? */
  public boolean tunnel() {
    return encapsulation == IpsecAttr.TUNNEL
        || encapsulation == IpsecAttr.UDP_TUNNEL
        || encapsulation == IpsecAttr.UDP_TUNNEL_DRAFT;
  }
}
