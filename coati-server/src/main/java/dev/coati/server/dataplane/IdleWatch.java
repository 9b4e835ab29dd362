package dev.coati.server.dataplane;

import dev.coati.ike.IkeSaView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Idle timeout for road warriors (a client that is alive for DPD but sends nothing): an IKE SA with
 * an assigned address whose tunnel children received no packet for the timeout is reported once.
 *
 * <p>No scan of every SA per tick: each watched IKE SA sits in a priority queue by the time it
 * could first be idle, and only those due are looked at. The inbound path stamps the SA's {@link
 * Watch} with a coarse clock (the time of the last {@link #check}, a field read, no clock call per
 * packet), so a due SA that saw traffic goes back into the queue for {@code seen + timeout}, and
 * the timeout is exact to one tick.
 */
final class IdleWatch {
  /** One watched IKE SA (its tunnel children share it). */
  static final class Watch {
    final IkeSaView sa;
    volatile long seen; // coarse time of the last inbound packet
    long due;
    int children;

    Watch(IkeSaView sa, long now) {
      this.sa = sa;
      this.seen = now;
    }
  }

  private final Map<IkeSaView, Watch> watches = new HashMap<>();
  private final PriorityQueue<Watch> queue =
      new PriorityQueue<>(Comparator.comparingLong(w -> w.due));
  private volatile long now;

  /** The watch of {@code sa} (created on its first tunnel child), due after {@code idleMillis}. */
  synchronized Watch track(IkeSaView sa, long now, long idleMillis) {
    Watch w = watches.get(sa);
    if (w == null) {
      w = new Watch(sa, Math.max(now, this.now));
      w.due = w.seen + idleMillis;
      watches.put(sa, w);
      queue.add(w);
    }
    w.children++;
    return w;
  }

  /** One tunnel child of {@code w}'s SA is gone; the last one ends the watch. */
  synchronized void untrack(Watch w) {
    if (--w.children == 0 && watches.get(w.sa) == w) {
      watches.remove(w.sa); // stays queued until due, then is dropped
    }
  }

  /** Inbound packet on a watched SA (hot path: one volatile read, one write). */
  void seen(Watch w) {
    w.seen = now;
  }

  /** SAs watched now. */
  synchronized int size() {
    return watches.size();
  }

  /**
   * Reports the SAs idle at {@code now}; looks only at those due. Socket thread, every tick. The
   * report runs outside this object's lock (it deletes SAs, which takes the data plane's).
   */
  void check(long now, long idleMillis, Consumer<IkeSaView> idle) {
    List<IkeSaView> report = due(now, idleMillis);
    for (IkeSaView sa : report) {
      idle.accept(sa);
    }
  }

  private synchronized List<IkeSaView> due(long now, long idleMillis) {
    this.now = now;
    List<IkeSaView> report = List.of();
    for (Watch w = queue.peek(); w != null && w.due <= now; w = queue.peek()) {
      queue.poll();
      if (watches.get(w.sa) != w) {
        continue; // its children are gone
      }
      if (now - w.seen >= idleMillis) {
        watches.remove(w.sa); // reported once
        report = report.isEmpty() ? new ArrayList<>() : report;
        report.add(w.sa);
      } else {
        w.due = w.seen + idleMillis;
        queue.add(w);
      }
    }
    return report;
  }
}
