package dev.coati.ppp;

import dev.coati.util.Ipv4Address;
import java.util.List;

/**
 * What IPCP hands out once the user is authenticated: our address, the peer's (leased) address and
 * the RFC 1877 servers (0-2 each, primary first).
 */
public record IpcpGrant(
    Ipv4Address ours, Ipv4Address peer, List<Ipv4Address> dns, List<Ipv4Address> nbns) {
  public IpcpGrant {
    dns = List.copyOf(dns);
    nbns = List.copyOf(nbns);
  }
}
