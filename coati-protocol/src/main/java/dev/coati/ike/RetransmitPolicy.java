package dev.coati.ike;

/**
 * Bounded retransmission: first timeout, growth factor and number of retransmits before the
 * exchange fails (strongSwan's defaults: 4 s, 1.8, 5 tries, about 165 s in all).
 */
public record RetransmitPolicy(long initialMillis, double factor, int maxRetransmits) {
  public static final RetransmitPolicy DEFAULT = new RetransmitPolicy(4000, 1.8, 5);

  public RetransmitPolicy {
    if (initialMillis <= 0 || factor < 1 || maxRetransmits < 0 || maxRetransmits > 20) {
      throw new IllegalArgumentException("bad retransmit policy");
    }
  }

  /** Delay before retransmit number {@code n} (0 = wait after the first send). */
  public long delay(int n) {
    return (long) (initialMillis * Math.pow(factor, n));
  }
}
