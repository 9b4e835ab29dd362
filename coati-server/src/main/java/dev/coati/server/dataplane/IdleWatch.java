package dev.coati.server.dataplane;

import dev.coati.ike.IkeSaView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Idle timeout for road warriors (a client that is alive for DPD but sends nothing): an IKE SA with
 * an assigned address whose children received no packet for the timeout is reported once. Runs on
 * the socket thread, every tick.
 */
final class IdleWatch {
  private record Seen(long packets, long since) {}

  private final Map<IkeSaView, Seen> seen = new HashMap<>();

  void check(List<DataPlane.Route> routes, long now, long idleMillis, Consumer<IkeSaView> idle) {
    Map<IkeSaView, Long> packets = new HashMap<>();
    for (DataPlane.Route r : routes) {
      if (r.ike().virtualAddress().isPresent()) {
        packets.merge(r.ike(), r.in().packets(), Long::sum);
      }
    }
    seen.keySet().retainAll(packets.keySet());
    for (Map.Entry<IkeSaView, Long> e : packets.entrySet()) {
      Seen s = seen.get(e.getKey());
      if (s == null || s.packets() != e.getValue()) {
        seen.put(e.getKey(), new Seen(e.getValue(), now));
      } else if (now - s.since() >= idleMillis) {
        seen.remove(e.getKey());
        idle.accept(e.getKey());
      }
    }
  }
}
