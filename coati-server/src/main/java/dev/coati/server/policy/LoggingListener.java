package dev.coati.server.policy;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.ProposalText;
import dev.coati.server.log.Kv;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Writes SA events as one {@code key=value} line each, starting with the SA name; never key
 * material. A road warrior's IKE SA is "established" only once Xauth accepted it ({@link
 * #authenticated}); until then phase 1 is "done, Xauth pending". SAs that never came up end in a
 * rate-limited line (a spoofed flood makes one per packet).
 */
public final class LoggingListener implements IkeListener {
  private static final Logger HALF_OPEN = System.getLogger("dev.coati.server.sa.packet");
  private final PrintStream out;
  private final Set<String> up = new HashSet<>();

  public LoggingListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public void ikeEstablished(IkeSaView sa) {
    up.add(sa.name());
    Kv line =
        sa.awaitsXauth() ? Kv.line(sa.name(), "phase 1 done, Xauth pending") : established(sa);
    out.println(phase1(line, sa, sa.user().orElse(null))); // a user only when resumed
  }

  /** The line for an IKE SA whose Xauth accepted {@code user}: established only now. */
  public static String authenticated(IkeSaView sa, String user) {
    return phase1(established(sa), sa, user);
  }

  private static Kv established(IkeSaView sa) {
    return Kv.line(sa.name(), "IKE SA established");
  }

  private static String phase1(Kv line, IkeSaView sa, String xauthUser) {
    return line.add("peer", sa.peer())
        .add("user", xauthUser)
        .add("xauth", xauthUser == null ? null : "ok")
        .add("id", sa.peerId().map(id -> id.describe()).orElse("?"))
        .add("role", sa.isInitiator() ? "initiator" : "responder")
        .add("mode", sa.mode() == null ? null : ProposalText.mode(sa.mode()))
        .add("ike", sa.transform().map(ProposalText::phase1).orElse(null))
        .add("nat", nat(sa))
        .add("features", features(sa))
        .toString();
  }

  private static String nat(IkeSaView sa) {
    return sa.localBehindNat() && sa.peerBehindNat()
        ? "both"
        : sa.localBehindNat() ? "local" : sa.peerBehindNat() ? "peer" : "none";
  }

  private static String features(IkeSaView sa) {
    if (sa.peerFeatures().isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sa.peerFeatures()
        .forEach(f -> sb.append(sb.isEmpty() ? "" : ",").append(f.name().toLowerCase(Locale.ROOT)));
    return sb.toString();
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    boolean wasUp = up.remove(sa.name());
    Kv line =
        Kv.line(sa.name(), wasUp ? "IKE SA deleted" : "phase 1 failed")
            .add("peer", sa.peer())
            .add("user", sa.user().orElse(null))
            .add("reason", reason);
    if (wasUp) {
      out.println(line);
    } else {
      HALF_OPEN.log(Level.INFO, line.toString());
    }
  }

  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    out.println(child(Kv.line(sa.name(), "CHILD SA established"), sa, child));
  }

  @Override
  public void childDeleted(IkeSaView sa, ChildSa child) {
    out.println(child(Kv.line(sa.name(), "CHILD SA deleted"), sa, child));
  }

  private static String child(Kv line, IkeSaView sa, ChildSa c) {
    return line.add("peer", sa.peer())
        .add("user", sa.user().orElse(null))
        .add("spi_in", String.format("%08x", c.inboundSpi()))
        .add("spi_out", String.format("%08x", c.outboundSpi()))
        .add("esp", ProposalText.phase2(c.transform()))
        .add("mode", c.transform().tunnel() ? "tunnel" : "transport")
        .add("encap", c.transform().udpEncapsulated() ? "udp" : "no")
        .add("ts", c.local() + "===" + c.remote())
        .toString();
  }

  @Override
  public void childFailed(IkeSaView sa, String reason) {
    out.println(
        Kv.line(sa.name(), "quick mode failed").add("peer", sa.peer()).add("reason", reason));
  }
}
