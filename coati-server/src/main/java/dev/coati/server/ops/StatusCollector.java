package dev.coati.server.ops;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeSa;
import dev.coati.ike.PeerFeature;
import dev.coati.ike.Phase1Transform;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.l2tp.L2tpServer;
import dev.coati.util.Ipv4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the rows of {@code coati status} from the engine's IKE SAs, the data plane's counters and
 * the LNS's sessions. Runs on the socket thread (the only one that may read that state).
 */
final class StatusCollector {
  private StatusCollector() {}

  /**
   * {@code accountingIds}: a session's name (IKE SA or L2TP session) to its Acct-Session-Id, null
   * if it has none.
   */
  static List<SessionRow> collect(
      Collection<IkeSa> sas,
      DataPlane dp,
      L2tpServer lns,
      Function<String, String> accountingIds,
      long now) {
    List<L2tpServer.SessionView> links = lns == null ? List.of() : lns.sessionViews();
    List<L2tpServer.SessionView> shown = new ArrayList<>();
    List<SessionRow> rows = new ArrayList<>();
    for (IkeSa sa : sas) {
      if (sa.halfOpen()) {
        continue; // a possibly spoofed first message: counted in metrics, not a session
      }
      if (successor(sa, sas, accountingIds) != null) {
        continue; // shown under the SA that took its session over
      }
      List<IkeSa> earlier =
          sas.stream().filter(o -> successor(o, sas, accountingIds) == sa).toList();
      List<L2tpServer.SessionView> mine =
          links.stream().filter(l -> l.peer().equals(sa.peer())).toList();
      shown.addAll(mine);
      if (mine.isEmpty()) {
        rows.add(ikeRow(sa, earlier, dp, accountingIds, now));
      }
      for (L2tpServer.SessionView l : mine) {
        rows.add(l2tpRow(l, ikeRow(sa, earlier, dp, accountingIds, now), accountingIds, now));
      }
    }
    for (L2tpServer.SessionView l : links) {
      if (!shown.contains(l)) {
        rows.add(l2tpRow(l, null, accountingIds, now));
      }
    }
    return rows;
  }

  /**
   * A road warrior's re-authentication: until its old ISAKMP SA is deleted or expires, the client
   * has two, both with its user and address; the one whose session the other took over (the other
   * holds the session's Acct-Session-Id, or is newer) is shown as part of it. Null: none.
   */
  private static IkeSa successor(
      IkeSa sa, Collection<IkeSa> sas, Function<String, String> accountingIds) {
    if (sa.user().isEmpty() || sa.virtualAddress().isEmpty()) {
      return null;
    }
    for (IkeSa o : sas) {
      if (o != sa
          && o.user().equals(sa.user())
          && o.peer().equals(sa.peer())
          && o.virtualAddress().isPresent()
          && Arrays.equals(o.virtualAddress().get(), sa.virtualAddress().get())
          && newerSession(o, sa, accountingIds)) {
        return o;
      }
    }
    return null;
  }

  private static boolean newerSession(IkeSa o, IkeSa sa, Function<String, String> accountingIds) {
    boolean oHas = accountingIds.apply(o.name()) != null;
    boolean saHas = accountingIds.apply(sa.name()) != null;
    return oHas != saHas ? oHas : o.establishedAt() > sa.establishedAt();
  }

  private static SessionRow ikeRow(
      IkeSa sa,
      List<IkeSa> earlier,
      DataPlane dp,
      Function<String, String> accountingIds,
      long now) {
    int method = sa.transform().map(Phase1Transform::authMethod).orElse(-1);
    List<SessionRow.Child> children = new ArrayList<>();
    boolean transport = false;
    List<ChildSa> all = new ArrayList<>(sa.children());
    earlier.forEach(e -> all.addAll(e.children()));
    for (ChildSa c : all) {
      transport |= !c.transform().tunnel();
      children.add(child(c, dp == null ? null : dp.traffic(c)));
    }
    String kind =
        sa.user().isPresent() || isXauth(method) ? "xauth" : transport ? "l2tp" : "site-to-site";
    long established = sa.establishedAt();
    return new SessionRow(
        kind,
        sa.name(),
        null,
        sa.user().orElse(null),
        authName(method),
        clientKind(sa.peerFeatures(), sa.microsoftVersion()),
        sa.peer().toString(),
        sa.peerBehindNat(),
        sa.virtualAddress().map(a -> Ipv4Address.of(a).toString()).orElse(null),
        sa.transform().map(StatusCollector::ikeAlgorithms).orElse(null),
        children,
        established > 0 ? (now - established) / 1000 : -1,
        sa.lastSeen() > 0 ? (now - sa.lastSeen()) / 1000 : -1,
        sa.peerFeatures().stream().map(f -> f.name().toLowerCase(Locale.ROOT)).sorted().toList(),
        sa,
        accountingIds.apply(sa.name()));
  }

  private static SessionRow l2tpRow(
      L2tpServer.SessionView l, SessionRow ike, Function<String, String> accountingIds, long now) {
    String client = ike == null ? "unknown" : ike.client();
    if (l.vendorName() != null || l.hostName() != null) {
      client +=
          " (L2TP"
              + (l.vendorName() == null ? "" : " vendor " + l.vendorName())
              + (l.hostName() == null ? "" : " host " + l.hostName())
              + ")";
    }
    return new SessionRow(
        "l2tp",
        ike == null ? null : ike.session(),
        l.name(),
        l.user(),
        (ike == null ? "?" : ike.auth()) + "+ppp",
        client,
        l.peer().toString(),
        ike != null && ike.nat(),
        l.address(),
        ike == null ? null : ike.ikeAlgorithms(),
        ike == null ? List.of() : ike.children(),
        (now - l.since()) / 1000,
        (now - l.lastPacket()) / 1000,
        ike == null ? List.of() : ike.vendorIds(),
        ike == null ? null : ike.ike(),
        accountingIds.apply(l.name()));
  }

  private static SessionRow.Child child(ChildSa c, DataPlane.ChildTraffic t) {
    Phase2Transform p = c.transform();
    String alg =
        lower(p.cipher().name().replaceFirst("^ESP_", ""))
            + "-"
            + p.keyBits()
            + (p.auth() == null ? "" : "/" + lower(p.auth().name()))
            + (p.pfsGroup() == null ? "" : "/" + lower(p.pfsGroup().name()));
    return new SessionRow.Child(
        String.format("%08x/%08x", c.inboundSpi(), c.outboundSpi()),
        p.tunnel() ? "tunnel" : "transport",
        alg,
        c.local().toString(),
        c.remote().toString(),
        t == null ? 0 : t.bytesIn(),
        t == null ? 0 : t.packetsIn(),
        t == null ? 0 : t.bytesOut(),
        t == null ? 0 : t.packetsOut());
  }

  static String ikeAlgorithms(Phase1Transform t) {
    return lower(t.cipher().name())
        + "-"
        + t.keyBits()
        + "/"
        + lower(t.hash().name())
        + "/"
        + lower(t.group().name());
  }

  private static boolean isXauth(int method) {
    return method == IkeAttr.XAUTH_INIT_PSK
        || method == IkeAttr.XAUTH_INIT_RSA
        || method == IkeAttr.HYBRID_INIT_RSA;
  }

  static String authName(int method) {
    return switch (method) {
      case IkeAttr.PSK -> "psk";
      case IkeAttr.RSA_SIG -> "rsa";
      case IkeAttr.ECDSA_256, IkeAttr.ECDSA_384, IkeAttr.ECDSA_521 -> "ecdsa";
      case IkeAttr.XAUTH_INIT_PSK -> "psk+xauth";
      case IkeAttr.XAUTH_INIT_RSA -> "rsa+xauth";
      case IkeAttr.HYBRID_INIT_RSA -> "hybrid-rsa+xauth";
      case -1 -> "-";
      default -> "method " + method;
    };
  }

  /** The client software, as far as its Vendor IDs tell. */
  static String clientKind(Set<PeerFeature> f, int microsoftVersion) {
    if (f.contains(PeerFeature.MS_NT5_ISAKMPOAKLEY)) {
      return "Microsoft Windows"
          + (microsoftVersion >= 0 ? " (MS NT5 v" + microsoftVersion + ")" : "");
    }
    if (f.contains(PeerFeature.STRONGSWAN)) {
      return "strongSwan";
    }
    if (f.contains(PeerFeature.CISCO_UNITY)) {
      return "Cisco Unity client";
    }
    if (f.contains(PeerFeature.FRAGMENTATION) && f.contains(PeerFeature.DPD)) {
      return "racoon or strongSwan (no product vendor ID)";
    }
    return "unknown";
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
