package dev.coati.server.policy;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.RemoteAccess;

/** Passes every engine event to two listeners, in order. */
public record BothListeners(IkeListener first, IkeListener second) implements IkeListener {
  @Override
  public void ikeEstablished(IkeSaView sa) {
    first.ikeEstablished(sa);
    second.ikeEstablished(sa);
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    first.ikeDeleted(sa, reason);
    second.ikeDeleted(sa, reason);
  }

  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    first.childEstablished(sa, child);
    second.childEstablished(sa, child);
  }

  @Override
  public void childDeleted(IkeSaView sa, ChildSa child) {
    first.childDeleted(sa, child);
    second.childDeleted(sa, child);
  }

  @Override
  public void initialContact(IkeSaView sa) {
    first.initialContact(sa);
    second.initialContact(sa);
  }

  @Override
  public void notifyReceived(IkeSaView sa, int notifyType) {
    first.notifyReceived(sa, notifyType);
    second.notifyReceived(sa, notifyType);
  }

  @Override
  public void childFailed(IkeSaView sa, String reason) {
    first.childFailed(sa, reason);
    second.childFailed(sa, reason);
  }

  @Override
  public void modeConfigReceived(IkeSaView sa, RemoteAccess.ClientConfig config) {
    first.modeConfigReceived(sa, config);
    second.modeConfigReceived(sa, config);
  }
}
