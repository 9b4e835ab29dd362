package dev.coati.ike;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.InvalidPeerKeyException;
import dev.coati.crypto.KeyExchange;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NoncePayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/** Nonces, SPIs and the optional PFS exchange of one quick mode, and its KEYMAT. */
final class QuickModeKeys {
  /** RFC 2407 protocol id for ESP, hashed into KEYMAT. */
  static final int PROTO_ESP = 3;

  private final IkeSa sa;
  private final IkeContext ctx;
  private final boolean initiator;
  private byte[] ni;
  private byte[] nr;
  private int ourSpi;
  private int peerSpi;
  private KeyExchange dh;
  private Secret gxy;

  QuickModeKeys(IkeSa sa, IkeContext ctx, boolean initiator) {
    this.sa = sa;
    this.ctx = ctx;
    this.initiator = initiator;
  }

  NoncePayload ourNonce(int length) {
    byte[] n = ctx.random().bytes(length);
    if (initiator) {
      ni = n;
    } else {
      nr = n;
    }
    return new NoncePayload(n);
  }

  void peerNonce(NoncePayload n) {
    int len = n.data().length;
    if (len < Phase1.MIN_NONCE || len > Phase1.MAX_NONCE) {
      throw new IkeProtocolException(NotifyType.PAYLOAD_MALFORMED, "nonce of " + len + " bytes");
    }
    if (initiator) {
      nr = n.data();
    } else {
      ni = n.data();
    }
  }

  KePayload ourKe(DhGroup group) {
    dh = ctx.dh().create(group);
    return new KePayload(dh.publicKey());
  }

  void peerKe(KePayload ke, DhGroup group) {
    if (ke.keyData().length != group.publicKeyLength()) {
      throw new IkeProtocolException(NotifyType.INVALID_KEY_INFORMATION, "PFS KE length");
    }
    if (dh == null) {
      throw new IkeProtocolException(NotifyType.INVALID_KEY_INFORMATION, "unexpected KE");
    }
    try {
      gxy = dh.agree(ke.keyData());
    } catch (InvalidPeerKeyException e) {
      throw new IkeProtocolException(NotifyType.INVALID_KEY_INFORMATION, "bad PFS DH value");
    } finally {
      dh.destroy();
    }
  }

  void setOurSpi(int spi) {
    this.ourSpi = spi;
  }

  void setPeerSpi(byte[] spi) {
    this.peerSpi = new ByteReader(spi).i32();
  }

  int ourSpi() {
    return ourSpi;
  }

  int peerSpi() {
    return peerSpi;
  }

  byte[] ourSpiBytes() {
    return new ByteWriter(4).i32(ourSpi).toByteArray();
  }

  byte[] peerSpiBytes() {
    return new ByteWriter(4).i32(peerSpi).toByteArray();
  }

  byte[] ni() {
    return ni;
  }

  byte[] nr() {
    return nr;
  }

  Secret pfsSecret() {
    return gxy;
  }

  /** KEYMAT for the SA identified by {@code spi} (RFC 2409 section 5.5). */
  Secret keymat(byte[] spi, int length) {
    return Keymat.quickModeKeymat(sa.prf(), sa.skeyidD(), gxy, PROTO_ESP, spi, ni, nr, length);
  }

  void destroy() {
    if (dh != null) {
      dh.destroy();
    }
    if (gxy != null && !gxy.isDestroyed()) {
      gxy.destroy();
    }
  }
}
