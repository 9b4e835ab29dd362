package dev.coati.server.control;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSaView;
import java.io.PrintStream;

/** Writes SA events as log lines that start with the SA name; never key material. */
public final class LoggingListener implements IkeListener {
  private final PrintStream out;

  public LoggingListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public void ikeEstablished(IkeSaView sa) {
    out.println(
        sa.name()
            + " IKE SA established with "
            + sa.peer()
            + " id "
            + sa.peerId().map(Object::toString).orElse("?")
            + " features "
            + sa.peerFeatures()
            + " nat local="
            + sa.localBehindNat()
            + " peer="
            + sa.peerBehindNat());
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    out.println(sa.name() + " IKE SA with " + sa.peer() + " gone: " + reason);
  }

  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    out.println(sa.name() + " CHILD SA established " + child);
  }

  @Override
  public void childDeleted(IkeSaView sa, ChildSa child) {
    out.println(sa.name() + " CHILD SA deleted " + child);
  }

  @Override
  public void childFailed(IkeSaView sa, String reason) {
    out.println(sa.name() + " quick mode failed: " + reason);
  }
}
