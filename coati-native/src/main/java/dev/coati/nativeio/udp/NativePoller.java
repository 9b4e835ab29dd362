package dev.coati.nativeio.udp;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** poll(2) over the FFM sockets: an array of struct pollfd {int fd; short events, revents}. */
final class NativePoller implements Poller {
  private static final long POLLFD = 8;
  // automatic: the poller may be made on one thread and used on another
  private final Arena arena = Arena.ofAuto();
  private final MemorySegment fds;
  private final MemorySegment state;
  private final int n;

  NativePoller(List<NativeSocket> sockets) {
    n = sockets.size();
    fds = arena.allocate(POLLFD * Math.max(1, n), 4);
    state = SocketCalls.state(arena);
    for (int i = 0; i < n; i++) {
      fds.set(ValueLayout.JAVA_INT, POLLFD * i, sockets.get(i).fd());
      fds.set(ValueLayout.JAVA_SHORT, POLLFD * i + 4, SocketCalls.POLLIN);
    }
  }

  @Override
  public int await(long timeoutMillis) throws IOException {
    for (int i = 0; i < n; i++) {
      fds.set(ValueLayout.JAVA_SHORT, POLLFD * i + 6, (short) 0);
    }
    int t = (int) Math.max(0, Math.min(Integer.MAX_VALUE, timeoutMillis));
    return SocketCalls.poll(state, fds, n, t);
  }

  @Override
  public boolean readable(int index) {
    // POLLERR/POLLHUP count as readable: the receive then reports the socket's error
    return fds.get(ValueLayout.JAVA_SHORT, POLLFD * index + 6) != 0;
  }

  @Override
  public void close() {
    // the pollfd array is freed with the poller; the sockets are closed by their owner
  }
}
