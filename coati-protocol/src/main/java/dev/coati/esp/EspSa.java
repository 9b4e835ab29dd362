package dev.coati.esp;

import dev.coati.crypto.Aead;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One direction of an ESP SA: SPI, the AEAD, the sequence counter (outbound) or replay window
 * (inbound), traffic counters, lifetime limits and per-packet scratch (IV and AAD), so the packet
 * path allocates nothing. The data plane owns each direction from one thread.
 *
 * <p>HMAC-SHA2-256 has two ICV lengths in the field: RFC 4868's 128 bits and the 96-bit truncation
 * of old Linux kernels (Android before 7, some routers), both under auth algorithm 5. An inbound SA
 * negotiated with it tries 128 bits first and, while nothing has verified yet, 96 bits too; the
 * first packet that verifies fixes the length for good, for this SA and its outbound partner
 * ({@link #link}).
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
  private volatile Aead aead;
  private Aead truncated96;
  private boolean icvFixed;
  private EspSa partner;
  private final ReplayWindow replay;
  private final long createdMillis;
  private final long softBytes;
  private final long hardBytes;
  private final long softMillis;
  private final long hardMillis;
  private long nextSeq = 1;
  private static final VarHandle NEXT_SEQ;

  static {
    try {
      NEXT_SEQ = MethodHandles.lookup().findVarHandle(EspSa.class, "nextSeq", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final byte[] iv;
  final byte[] aad = new byte[EspCodec.HEADER];
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
    if (auth == EspAuth.HMAC_SHA2_256_128 && !cipher.aead()) {
      this.truncated96 = Aead.create(cipher, EspAuth.HMAC_SHA2_256_96, keymat);
    } else {
      this.icvFixed = true;
    }
    this.iv = new byte[cipher.ivLength()];
    this.replay = inbound ? new ReplayWindow() : null;
    this.createdMillis = nowMillis;
    this.hardMillis = lifeSeconds * 1000;
    this.softMillis = hardMillis * 9 / 10;
    this.hardBytes = lifeKilobytes * 1024;
    this.softBytes = hardBytes * 9 / 10;
  }

  /** Pairs an inbound SA with the outbound one of the same child (ICV length detection). */
  public static void link(EspSa in, EspSa out) {
    if (!in.inbound || out.inbound) {
      throw new IllegalArgumentException("link(inbound, outbound)");
    }
    in.partner = out;
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

  /** The 96-bit alternative while the ICV length is still open, else null. */
  Aead icvCandidate() {
    return icvFixed ? null : truncated96;
  }

  /** The first verified packet used {@code used}: keep it (and tell the partner). */
  void icvVerified(Aead used) {
    if (icvFixed) {
      return;
    }
    icvFixed = true;
    if (used == truncated96) {
      aead = truncated96;
      if (partner != null) {
        partner.aead = partner.truncated96;
        partner.icvFixed = true;
      }
    }
    truncated96 = null;
  }

  /** The ICV length in use (or, before detection, the negotiated one). */
  public int icvLength() {
    return aead.icvLength();
  }

  ReplayWindow replay() {
    return replay;
  }

  /** The next outbound sequence number; -1 once 2^32-1 was used (the SA must be replaced). */
  long takeSeq() {
    long seq = nextSeq;
    if (seq > 0xffffffffL) {
      return -1;
    }
    // opaque: another thread reads it for the sequence reservation (a plain move on x86)
    NEXT_SEQ.setOpaque(this, seq + 1);
    return seq;
  }

  /**
   * The outbound sequence number the next packet takes (read from any thread, may lag a little):
   * what the state directory's sequence reservation stays ahead of.
   */
  public long nextSequence() {
    return (long) NEXT_SEQ.getOpaque(this);
  }

  /** Inbound: the highest sequence number received and verified (socket thread). */
  public long highestReceived() {
    return replay == null ? 0 : replay.highest();
  }

  /**
   * Inbound, restored after a restart: sequence numbers up to {@code floor} (the highest saved
   * before it) are refused as replays.
   */
  public void resumeReceivedAfter(long floor) {
    if (replay == null) {
      throw new IllegalArgumentException("resumeReceivedAfter on an outbound SA");
    }
    replay.resumeAfter(floor);
  }

  /**
   * An outbound SA restored after a restart continues at {@code seq}, the reservation saved before
   * it, above any number sent with this key (call before the first packet).
   */
  public void resumeAt(long seq) {
    if (inbound || seq < 1) {
      throw new IllegalArgumentException(
          "resumeAt(" + seq + ") on " + (inbound ? "inbound" : "outbound"));
    }
    NEXT_SEQ.setVolatile(this, seq);
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

  /** Time and volume together. */
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

  /**
   * Volume alone (RFC 2407 section 4.5 SA Life Type kilobytes): the engine handles time, the data
   * plane counts bytes and reports this.
   */
  public Lifetime volume() {
    if (hardBytes > 0 && bytes >= hardBytes) {
      return Lifetime.HARD;
    }
    if (softBytes > 0 && bytes >= softBytes) {
      return Lifetime.SOFT;
    }
    return Lifetime.OK;
  }
}
