package dev.coati.ike;

/**
 * Limits on responder IKE SAs whose peer has not yet shown that it receives our packets (it has not
 * echoed our responder cookie): the defence against spoofed first messages. Modelled on strongSwan
 * (5 half-open SAs per source, a 30 s half-open timeout) and Libreswan (a busy state at 25,000
 * half-open SAs, 50,000 at most); coati's defaults are half Libreswan's (12,500 busy, 25,000 at
 * most) because a JVM state costs more: 50,000 took coati past 512 MB RSS in {@code
 * HalfOpenFloodIT}.
 *
 * @param perSource half-open SAs one source address may hold
 * @param max half-open SAs in all; at the cap the oldest is dropped to admit a new one, so a
 *     spoofed flood cannot lock out a client that answers within {@code max / flood rate} seconds
 * @param busy from this many half-open SAs on, the gateway is busy: aggressive mode (a DH and a
 *     PSK-keyed hash per packet) is refused, and so is a second half-open SA from any one source
 * @param timeoutMillis a half-open SA older than this is dropped without a word
 */
public record HalfOpenLimits(int perSource, int max, int busy, long timeoutMillis) {
  public static final HalfOpenLimits DEFAULT = new HalfOpenLimits(5, 25_000, 12_500, 30_000);

  public HalfOpenLimits {
    if (perSource < 1 || max < 1 || busy < 1 || busy > max || timeoutMillis < 1000) {
      throw new IllegalArgumentException(
          "half-open limits: per_source and max at least 1, busy between 1 and max, timeout"
              + " at least 1 s");
    }
  }
}
