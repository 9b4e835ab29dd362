package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.ppp.OptionAutomaton.State;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.IpcpOptions;
import dev.coati.ppp.wire.PppOption;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.util.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPCP as Windows and pppd run it: everything asked as 0.0.0.0, Nak'd with the lease and DNS. */
class IpcpPolicyTest {
  static final Ipv4Address GATEWAY = Ipv4Address.parse("10.9.0.1");
  static final Ipv4Address LEASE = Ipv4Address.parse("10.9.0.23");
  static final Ipv4Address DNS1 = Ipv4Address.parse("192.0.2.53");
  static final Ipv4Address DNS2 = Ipv4Address.parse("192.0.2.54");
  static final Ipv4Address ZERO = IpcpOptions.UNSPECIFIED;

  final IpcpPolicy policy =
      new IpcpPolicy(GATEWAY, LEASE, IpcpPolicy.servers(List.of(DNS1, DNS2), List.of()));
  final TestPeer s = new TestPeer(PppProtocol.IPCP, policy, RestartConfig.DEFAULT);

  static ControlPacket request(int id, List<PppOption> o) {
    return ControlPacket.withOptions(ControlPacket.CONFIGURE_REQUEST, id, o);
  }

  @Test
  void zeroAddressAndDnsAreNakdWithLeaseThenAcked() {
    s.automaton.open(0);
    s.automaton.up(0);
    ControlPacket ours = s.sent.getFirst();
    assertEquals(List.of(IpcpOptions.ipAddress(GATEWAY)), ours.options());
    s.automaton.receive(
        request(
            1,
            List.of(
                new PppOption(IpcpOptions.IP_COMPRESSION, new byte[] {0, 0x2d, 0x0f, 0x01}),
                IpcpOptions.ipAddress(ZERO),
                IpcpOptions.address(IpcpOptions.PRIMARY_DNS, ZERO),
                IpcpOptions.address(IpcpOptions.PRIMARY_NBNS, ZERO),
                IpcpOptions.address(IpcpOptions.SECONDARY_DNS, ZERO),
                IpcpOptions.address(IpcpOptions.SECONDARY_NBNS, ZERO))),
        0);
    ControlPacket reject = s.sent.getLast();
    assertEquals(ControlPacket.CONFIGURE_REJECT, reject.code());
    assertEquals(
        List.of(2, IpcpOptions.PRIMARY_NBNS, IpcpOptions.SECONDARY_NBNS),
        reject.options().stream().map(PppOption::type).toList());

    List<PppOption> retry =
        List.of(
            IpcpOptions.ipAddress(ZERO),
            IpcpOptions.address(IpcpOptions.PRIMARY_DNS, ZERO),
            IpcpOptions.address(IpcpOptions.SECONDARY_DNS, ZERO));
    s.automaton.receive(request(2, retry), 0);
    ControlPacket nak = s.sent.getLast();
    assertEquals(ControlPacket.CONFIGURE_NAK, nak.code());
    List<PppOption> offered =
        List.of(
            IpcpOptions.ipAddress(LEASE),
            IpcpOptions.address(IpcpOptions.PRIMARY_DNS, DNS1),
            IpcpOptions.address(IpcpOptions.SECONDARY_DNS, DNS2));
    assertEquals(offered, nak.options());

    s.automaton.receive(request(3, offered), 0);
    assertEquals(ControlPacket.CONFIGURE_ACK, s.sent.getLast().code());
    assertEquals(offered, s.sent.getLast().options());
    s.automaton.receive(
        new ControlPacket(ControlPacket.CONFIGURE_ACK, ours.identifier(), ours.data()), 0);
    assertEquals(State.OPENED, s.automaton.state());
    assertEquals(LEASE, policy.peerAddress().orElseThrow());
  }

  @Test
  void requestWithoutAddressIsNakdWithTheLease() {
    s.automaton.open(0);
    s.automaton.up(0);
    s.automaton.receive(new ControlPacket(ControlPacket.CONFIGURE_REQUEST, 4, new byte[0]), 0);
    assertEquals(
        ControlPacket.withOptions(
            ControlPacket.CONFIGURE_NAK, 4, List.of(IpcpOptions.ipAddress(LEASE))),
        s.sent.getLast());
  }

  @Test
  void dnsWithoutConfiguredServersIsRejectedAndOurAddressFollowsANak() {
    IpcpPolicy bare = new IpcpPolicy(GATEWAY, LEASE, java.util.Map.of());
    PppOption dns = IpcpOptions.address(IpcpOptions.PRIMARY_DNS, ZERO);
    assertEquals(OptionPolicy.Kind.REJECT, bare.judge(dns).kind());
    bare.peerNak(List.of(IpcpOptions.ipAddress(Ipv4Address.parse("10.9.0.254"))));
    assertEquals(Ipv4Address.parse("10.9.0.254"), bare.ourAddress());
    bare.peerReject(List.of(IpcpOptions.ipAddress(GATEWAY)));
    assertEquals(List.of(), bare.request());
  }
}
