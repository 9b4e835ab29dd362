package dev.coati.esp;

import dev.coati.crypto.Aead;
import dev.coati.util.RandomSource;

/**
 * ESP packets (RFC 4303): SPI, sequence number, IV, encrypted payload with self-describing padding
 * (section 2.4), pad length, next header, ICV. Tunnel mode carries an IP packet (next header 4),
 * transport mode the inner protocol's payload (e.g. 17 for L2TP's UDP). Never throws on packet
 * input: decapsulation returns a negative {@link Drop} code, and checks replay before decrypting
 * and commits it only after the ICV verified.
 */
public final class EspCodec {
  public static final int HEADER = 8;
  public static final int NEXT_IPV4 = 4;

  /** Why an inbound packet was dropped (returned negated). */
  public enum Drop {
    TOO_SHORT,
    REPLAY,
    AUTH_FAILED,
    BAD_PADDING,
    SEQ_EXHAUSTED;

    public int code() {
      return -(ordinal() + 1);
    }

    public static Drop of(int code) {
      return values()[-code - 1];
    }
  }

  private EspCodec() {}

  /** Bytes the ESP packet of an inner packet of {@code len} bytes needs at most. */
  public static int maxOverhead(EspSa sa) {
    return HEADER
        + sa.cipher().ivLength()
        + sa.cipher().blockSize()
        + 2
        + sa.aead().icvLength()
        + 4;
  }

  /** Where encapsulation puts the inner packet: callers may write it there to save a copy. */
  public static int payloadOffset(EspSa sa) {
    return HEADER + sa.cipher().ivLength();
  }

  /**
   * Encapsulates {@code inner[off, off+len)} into {@code out} at {@code outOff} (which must have
   * room for {@code len + maxOverhead(sa)}); returns the ESP packet length or a negative drop code.
   * The inner packet may already sit in {@code out} at {@code outOff + payloadOffset(sa)}; then it
   * is encrypted in place. Allocates nothing (the IV and AAD scratch belong to the SA).
   */
  public static int encapsulate(
      EspSa sa,
      RandomSource random,
      byte[] inner,
      int off,
      int len,
      int nextHeader,
      byte[] out,
      int outOff) {
    long seq = sa.takeSeq();
    if (seq < 0) {
      return Drop.SEQ_EXHAUSTED.code();
    }
    int ivLen = sa.cipher().ivLength();
    int at = outOff + HEADER + ivLen;
    if (inner != out || off != at) {
      System.arraycopy(inner, off, out, at, len);
    }
    int bs = Math.max(4, sa.cipher().blockSize());
    int padded = (len + 2 + bs - 1) / bs * bs;
    int padLen = padded - len - 2;
    for (int i = 0; i < padLen; i++) {
      out[at + len + i] = (byte) (i + 1); // RFC 4303 section 2.4: 1, 2, 3, ...
    }
    out[at + padded - 2] = (byte) padLen;
    out[at + padded - 1] = (byte) nextHeader;
    putInt(out, outOff, sa.spi());
    putInt(out, outOff + 4, (int) seq);
    byte[] iv = sa.iv;
    if (sa.cipher().aead()) {
      for (int i = 0; i < 8; i++) {
        iv[i] = (byte) (seq >>> (56 - 8 * i)); // RFC 4106: a counter is a fine IV
      }
    } else {
      random.nextBytes(iv);
    }
    System.arraycopy(iv, 0, out, outOff + HEADER, ivLen);
    System.arraycopy(out, outOff, sa.aad, 0, HEADER);
    int n = sa.aead().seal(iv, sa.aad, out, at, padded, out, at);
    sa.count(len);
    return HEADER + ivLen + n;
  }

  /**
   * Decapsulates the ESP packet {@code pkt[off, off+len)} (its SPI already matched {@code sa}) into
   * {@code out} at {@code outOff}; returns the inner length, or a negative {@link Drop} code. The
   * next header goes to {@code nextHeader[0]}.
   */
  public static int decapsulate(
      EspSa sa, byte[] pkt, int off, int len, byte[] out, int outOff, int[] nextHeader) {
    int ivLen = sa.cipher().ivLength();
    int icv = Math.min(sa.aead().icvLength(), 12);
    if (len < HEADER + ivLen + icv + 2) {
      return Drop.TOO_SHORT.code();
    }
    long seq = getInt(pkt, off + 4) & 0xffffffffL;
    if (!sa.replay().check(seq)) {
      return Drop.REPLAY.code();
    }
    byte[] iv = sa.iv;
    System.arraycopy(pkt, off + HEADER, iv, 0, ivLen);
    System.arraycopy(pkt, off, sa.aad, 0, HEADER);
    int plen =
        open(sa, sa.aead(), iv, pkt, off + HEADER + ivLen, len - HEADER - ivLen, out, outOff);
    Aead alt = sa.icvCandidate();
    Aead used = sa.aead();
    if (plen == Drop.AUTH_FAILED.code() && alt != null) {
      plen = open(sa, alt, iv, pkt, off + HEADER + ivLen, len - HEADER - ivLen, out, outOff);
      used = alt;
    }
    if (plen < 0) {
      return plen;
    }
    sa.icvVerified(used);
    if (plen < 2) {
      return Drop.BAD_PADDING.code();
    }
    int padLen = out[outOff + plen - 2] & 0xff;
    if (padLen + 2 > plen) {
      return Drop.BAD_PADDING.code();
    }
    int innerLen = plen - padLen - 2;
    for (int i = 0; i < padLen; i++) {
      if ((out[outOff + innerLen + i] & 0xff) != i + 1) {
        return Drop.BAD_PADDING.code();
      }
    }
    sa.replay().commit(seq);
    nextHeader[0] = out[outOff + plen - 1] & 0xff;
    sa.count(innerLen);
    return innerLen;
  }

  private static int open(
      EspSa sa, Aead aead, byte[] iv, byte[] pkt, int at, int len, byte[] out, int outOff) {
    if (len < aead.icvLength()) {
      return Drop.TOO_SHORT.code();
    }
    int plen;
    try {
      plen = aead.open(iv, sa.aad, pkt, at, len, out, outOff);
    } catch (RuntimeException e) {
      return Drop.BAD_PADDING.code(); // a ciphertext that is not whole blocks
    }
    return plen < 0 ? Drop.AUTH_FAILED.code() : plen;
  }

  /** The SPI of an ESP packet (the caller checked there are at least 8 bytes). */
  public static int spi(byte[] pkt, int off) {
    return getInt(pkt, off);
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static int getInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
