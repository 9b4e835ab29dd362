package dev.coati.server.dataplane;

import dev.coati.esp.EspCodec;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Why the data plane dropped packets, counted per reason (never logged one by one). Written by the
 * socket and TUN threads, read by whoever reports them (shutdown log, later status and metrics).
 */
public final class DropCounters {
  /** Drop reasons; the ESP codec's own reasons map onto the first five. */
  public enum Reason {
    TOO_SHORT,
    REPLAY,
    AUTH_FAILED,
    BAD_PADDING,
    SEQ_EXHAUSTED,
    UNKNOWN_SPI,
    MALFORMED,
    SPOOFED,
    NO_ROUTE,
    TUN_WRITE,
    SEND_FAILED,
    /** A virtio_net_hdr or super-packet from an offloading TUN that ip.TcpSegmenter refused. */
    BAD_OFFLOAD,
    /** L2TP (UDP 1701) that did not arrive inside an ESP SA: seed 003's firewall rule. */
    PLAIN_L2TP,
    /** Transport-mode ESP carrying something other than UDP to port 1701. */
    NOT_L2TP,
    /** L2TP or PPP the LNS could not place (unknown tunnel or session, not yet up, malformed). */
    L2TP_DROPPED,
    /** A DF packet larger than the peer's ESP fragment size: answered with ICMP type 3 code 4. */
    FRAGMENTATION_NEEDED,
    /** ESP for an SPI of an unfinished quick mode that was not installed in time (EarlyEsp). */
    EARLY_EXPIRED
  }

  private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

  public DropCounters() {
    for (Reason r : Reason.values()) {
      counts.put(r, new LongAdder());
    }
  }

  public void count(Reason r) {
    counts.get(r).increment();
  }

  public void count(EspCodec.Drop d) {
    count(Reason.valueOf(d.name()));
  }

  public long get(Reason r) {
    return counts.get(r).sum();
  }

  /** {@code replay=1 auth_failed=0 ...}: every reason, for logs and tests. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Reason r : Reason.values()) {
      sb.append(sb.isEmpty() ? "" : " ").append(r.name().toLowerCase()).append('=').append(get(r));
    }
    return sb.toString();
  }
}
