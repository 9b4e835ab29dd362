package dev.coati.esp;

import dev.coati.crypto.Aead;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;

/**
 * One direction of an ESP SA: SPI, the AEAD, the sequence counter (outbound) or replay window
 * (inbound), traffic counters and lifetime limits. The data plane owns it from one thread.
 */
public final class EspSa {
  /** How a lifetime check came out. */
  public enum Lifetime {
    OK,
    SOFT,
    HARD
  }

  private final int spi;
  private final boolean inbound;
  private final EspCipher cipher;
  private final Aead aead;
  private final ReplayWindow replay;
  private final long createdMillis;
  private final long softBytes;
  private final long hardBytes;
  private final long softMillis;
  private final long hardMillis;
  private long nextSeq = 1;
  long bytes;
  long packets;

  /** Limits of 0 mean none; soft limits at 90% of the hard ones, as strongSwan does. */
  public EspSa(
      int spi,
      boolean inbound,
      EspCipher cipher,
      EspAuth auth,
      Secret keymat,
      long nowMillis,
      long lifeSeconds,
      long lifeKilobytes) {
    this.spi = spi;
    this.inbound = inbound;
    this.cipher = cipher;
    this.aead = Aead.create(cipher, auth, keymat);
    this.replay = inbound ? new ReplayWindow() : null;
    this.createdMillis = nowMillis;
    this.hardMillis = lifeSeconds * 1000;
    this.softMillis = hardMillis * 9 / 10;
    this.hardBytes = lifeKilobytes * 1024;
    this.softBytes = hardBytes * 9 / 10;
  }

  public int spi() {
    return spi;
  }

  public boolean inbound() {
    return inbound;
  }

  EspCipher cipher() {
    return cipher;
  }

  Aead aead() {
    return aead;
  }

  ReplayWindow replay() {
    return replay;
  }

  /** The next outbound sequence number; -1 once 2^32-1 was used (the SA must be replaced). */
  long takeSeq() {
    if (nextSeq > 0xffffffffL) {
      return -1;
    }
    return nextSeq++;
  }

  void count(int len) {
    bytes += len;
    packets++;
  }

  public long bytes() {
    return bytes;
  }

  public long packets() {
    return packets;
  }

  public Lifetime lifetime(long nowMillis) {
    long age = nowMillis - createdMillis;
    if ((hardMillis > 0 && age >= hardMillis) || (hardBytes > 0 && bytes >= hardBytes)) {
      return Lifetime.HARD;
    }
    if ((softMillis > 0 && age >= softMillis) || (softBytes > 0 && bytes >= softBytes)) {
      return Lifetime.SOFT;
    }
    return Lifetime.OK;
  }
}
