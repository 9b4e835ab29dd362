package dev.coati.nativeio.udp;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;

/** The fallback's poller: a JDK {@link Selector} over the sockets' channels. */
final class SelectorPoller implements Poller {
  private final Selector selector;
  private final SelectionKey[] keys;

  SelectorPoller(List<JdkUdpBind> sockets) throws IOException {
    selector = Selector.open();
    keys = new SelectionKey[sockets.size()];
    try {
      for (int i = 0; i < keys.length; i++) {
        keys[i] = sockets.get(i).channel().register(selector, SelectionKey.OP_READ);
      }
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
  }

  @Override
  public int await(long timeoutMillis) throws IOException {
    selector.selectedKeys().clear();
    return timeoutMillis <= 0 ? selector.selectNow() : selector.select(timeoutMillis);
  }

  @Override
  public boolean readable(int index) {
    return selector.selectedKeys().contains(keys[index]);
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException e) {
      // nothing to release beyond the selector itself
    }
  }
}
