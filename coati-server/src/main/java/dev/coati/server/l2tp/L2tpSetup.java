package dev.coati.server.l2tp;

import dev.coati.config.GatewayConfig;
import dev.coati.l2tp.TunnelSecurity;
import dev.coati.ppp.PppSession;
import dev.coati.ppp.RestartConfig;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.policy.RemoteAccessSetup;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executor;

/** Builds the LNS from the {@code l2tp:} section over the users and pool of remote access. */
public final class L2tpSetup {
  private L2tpSetup() {}

  /** IPv4 + TCP headers: the MSS that fits an MTU. */
  private static final int TCP_IP_HEADERS = 40;

  public static L2tpServer create(
      GatewayConfig config,
      RemoteAccessSetup.Aaa aaa,
      DataPlane dataPlane,
      Executor engineThread,
      RandomSource random,
      UserSessions events,
      PrintStream out) {
    GatewayConfig.L2tpConfig l = config.l2tp();
    GatewayConfig.RemoteAccessConfig ra = config.remoteAccess();
    GatewayConfig.Tun tun = config.tun();
    L2tpServer server =
        new L2tpServer(
            dataPlane.transport(),
            dataPlane.drops,
            random,
            System::currentTimeMillis,
            l.hostName(),
            l.helloSeconds() * 1000,
            l.secret() == null
                ? TunnelSecurity.NONE
                : TunnelSecurity.withSecret(l.secret().bytes(), true, l.hideAvps(), random),
            out);
    PppSession.Config ppp =
        new PppSession.Config(
            protocols(l.auth()),
            l.hostName(),
            RestartConfig.DEFAULT,
            l.lcpEchoSeconds() * 1000,
            l.lcpEchoFailures(),
            tun.mtu());
    PppSessions sessions =
        new PppSessions(
            new PppSessions.Wiring(
                ppp,
                random,
                aaa.auth(),
                aaa.workers(),
                engineThread,
                aaa.pool(),
                Ipv4Address.parse(tun.address()),
                addresses(ra.dns()),
                addresses(ra.nbns()),
                dataPlane,
                ra.idleTimeoutSeconds() * 1000,
                tun.mtu() - TCP_IP_HEADERS,
                System::currentTimeMillis,
                out),
            server);
    sessions.sessions(events);
    dataPlane.transport().receiver(server);
    dataPlane.egress(server);
    out.println(
        "coati: L2TP/IPsec on: PPP "
            + l.auth()
            + ", HELLO every "
            + l.helloSeconds()
            + " s, LCP echo every "
            + l.lcpEchoSeconds()
            + " s (dead after "
            + l.lcpEchoFailures()
            + "), tunnel secret "
            + (l.secret() == null
                ? "none"
                : "set (tunnel authentication required" + (l.hideAvps() ? ", AVPs hidden)" : ")")));
    return server;
  }

  static List<AuthProtocol> protocols(List<String> names) {
    return names.stream()
        .map(
            n ->
                switch (n) {
                  case "mschapv2" -> AuthProtocol.MSCHAPV2;
                  case "chap" -> AuthProtocol.CHAP_MD5;
                  default -> AuthProtocol.PAP;
                })
        .toList();
  }

  private static List<Ipv4Address> addresses(List<String> s) {
    return s.stream().map(Ipv4Address::parse).toList();
  }
}
