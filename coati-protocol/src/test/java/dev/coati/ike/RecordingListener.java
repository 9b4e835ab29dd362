package dev.coati.ike;

import java.util.ArrayList;
import java.util.List;

/** Records engine events for assertions. */
final class RecordingListener implements IkeListener {
  final List<IkeSaView> established = new ArrayList<>();
  final List<String> deleted = new ArrayList<>();
  final List<ChildSa> children = new ArrayList<>();
  final List<ChildSa> childrenDeleted = new ArrayList<>();
  final List<String> childFailures = new ArrayList<>();
  final List<Integer> notifies = new ArrayList<>();
  final List<RemoteAccess.ClientConfig> configs = new ArrayList<>();

  @Override
  public void modeConfigReceived(IkeSaView sa, RemoteAccess.ClientConfig config) {
    configs.add(config);
  }

  int initialContacts;

  @Override
  public void ikeEstablished(IkeSaView sa) {
    established.add(sa);
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    deleted.add(reason);
  }

  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    children.add(child);
  }

  @Override
  public void childDeleted(IkeSaView sa, ChildSa child) {
    childrenDeleted.add(child);
  }

  @Override
  public void initialContact(IkeSaView sa) {
    initialContacts++;
  }

  @Override
  public void notifyReceived(IkeSaView sa, int notifyType) {
    notifies.add(notifyType);
  }

  @Override
  public void childFailed(IkeSaView sa, String reason) {
    childFailures.add(reason);
  }
}
