package dev.coati.ppp;

import dev.coati.ppp.OptionPolicy.Verdict;
import dev.coati.ppp.wire.IpcpOptions;
import dev.coati.ppp.wire.PppOption;
import dev.coati.util.Ipv4Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IPCP's option policy for the gateway (RFC 1332, RFC 1877). The peer gets the address leased to it
 * (passed in, from the pool): any other IP-Address, 0.0.0.0 included, is Nak'd with the lease, and
 * a request without IP-Address is Nak'd too (SoftEther Q13). DNS and NBNS options are Nak'd with
 * the configured servers, rejected when none is configured. We send our own address.
 * IP-Compression-Protocol (Van Jacobson) and anything else is rejected.
 */
public final class IpcpPolicy implements OptionPolicy {
  private final Ipv4Address lease;
  private final Map<Integer, Ipv4Address> servers;
  private Ipv4Address ours;
  private boolean addressRejected;
  private Ipv4Address peerAddress;

  /**
   * @param ours the gateway's address sent in our request
   * @param lease the address for the peer
   * @param servers RFC 1877 option type → server address (missing types are rejected)
   */
  public IpcpPolicy(Ipv4Address ours, Ipv4Address lease, Map<Integer, Ipv4Address> servers) {
    this.ours = ours;
    this.lease = lease;
    this.servers = new HashMap<>(servers);
    this.servers.keySet().forEach(IpcpPolicy::checkServerType);
  }

  /** Servers map from DNS and NBNS lists (0-2 each, primary first). */
  public static Map<Integer, Ipv4Address> servers(List<Ipv4Address> dns, List<Ipv4Address> nbns) {
    Map<Integer, Ipv4Address> m = new HashMap<>();
    int[] dnsTypes = {IpcpOptions.PRIMARY_DNS, IpcpOptions.SECONDARY_DNS};
    int[] nbnsTypes = {IpcpOptions.PRIMARY_NBNS, IpcpOptions.SECONDARY_NBNS};
    for (int i = 0; i < Math.min(2, dns.size()); i++) {
      m.put(dnsTypes[i], dns.get(i));
    }
    for (int i = 0; i < Math.min(2, nbns.size()); i++) {
      m.put(nbnsTypes[i], nbns.get(i));
    }
    return m;
  }

  private static void checkServerType(int type) {
    if (!IpcpOptions.isServerAddress(type)) {
      throw new IllegalArgumentException("not an RFC 1877 option: " + type);
    }
  }

  @Override
  public List<PppOption> request() {
    return addressRejected ? List.of() : List.of(IpcpOptions.ipAddress(ours));
  }

  @Override
  public Verdict judge(PppOption o) {
    if (o.type() == IpcpOptions.IP_ADDRESS) {
      return o.data().length != 4 ? Verdict.reject(o) : offer(o, IpcpOptions.IP_ADDRESS, lease);
    }
    if (IpcpOptions.isServerAddress(o.type()) && o.data().length == 4) {
      Ipv4Address s = servers.get(o.type());
      return s == null ? Verdict.reject(o) : offer(o, o.type(), s);
    }
    return Verdict.reject(o);
  }

  private static Verdict offer(PppOption o, int type, Ipv4Address value) {
    return IpcpOptions.addressOf(o).equals(value)
        ? Verdict.ack(o)
        : Verdict.nak(IpcpOptions.address(type, value));
  }

  @Override
  public List<PppOption> missing(List<PppOption> peerOptions) {
    boolean hasAddress = peerOptions.stream().anyMatch(o -> o.type() == IpcpOptions.IP_ADDRESS);
    return hasAddress ? List.of() : List.of(IpcpOptions.ipAddress(lease));
  }

  /** A Nak of our address with a usable one is followed (RFC 1332 section 3.3). */
  @Override
  public void peerNak(List<PppOption> suggestions) {
    for (PppOption s : suggestions) {
      if (s.type() == IpcpOptions.IP_ADDRESS && s.data().length == 4) {
        Ipv4Address a = IpcpOptions.addressOf(s);
        if (!a.equals(IpcpOptions.UNSPECIFIED)) {
          ours = a;
        }
      }
    }
  }

  @Override
  public void peerReject(List<PppOption> rejected) {
    if (rejected.stream().anyMatch(o -> o.type() == IpcpOptions.IP_ADDRESS)) {
      addressRejected = true;
    }
  }

  @Override
  public void peerAck(List<PppOption> oursAcked) {}

  @Override
  public void accepted(List<PppOption> peers) {
    peerAddress = null;
    for (PppOption o : peers) {
      if (o.type() == IpcpOptions.IP_ADDRESS) {
        peerAddress = IpcpOptions.addressOf(o);
      }
    }
  }

  /** The address the peer was acknowledged with (the lease), empty before. */
  public Optional<Ipv4Address> peerAddress() {
    return Optional.ofNullable(peerAddress);
  }

  public Ipv4Address ourAddress() {
    return ours;
  }
}
