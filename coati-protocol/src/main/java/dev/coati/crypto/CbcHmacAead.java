package dev.coati.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A CBC cipher (or NULL) plus a truncated HMAC as one AEAD: ICV = HMAC(aad ‖ iv ‖ ciphertext)
 * truncated, checked in constant time before anything is decrypted.
 */
final class CbcHmacAead implements Aead {
  private final EspCipher cipher;
  private final SecretKeySpec encKey;
  private final SecretKeySpec macKey;
  private final EspAuth auth;
  // cached per SA: an SA direction is used by one thread (see DataPlane)
  private Mac mac;
  private Cipher cbc;
  private byte[] tag;

  CbcHmacAead(EspCipher cipher, EspAuth auth, Secret keymat) {
    if (auth == null) {
      throw new CryptoException(cipher + " needs an integrity algorithm");
    }
    int encBytes = cipher.keyLengths()[0] == 0 ? 0 : keymat.length() - auth.keyLength();
    if (encBytes < 0 || (cipher != EspCipher.ESP_NULL && encBytes * 8 < cipher.keyLengths()[0])) {
      throw new CryptoException(cipher + "/" + auth + " keymat of " + keymat.length() + " bytes");
    }
    this.cipher = cipher;
    this.auth = auth;
    this.encKey =
        encBytes == 0 ? null : new SecretKeySpec(keymat.bytes(0, encBytes), cipher.keyAlg());
    this.macKey =
        new SecretKeySpec(keymat.bytes(encBytes, auth.keyLength()), auth.hash().macName());
  }

  @Override
  public int ivLength() {
    return cipher.ivLength();
  }

  @Override
  public int icvLength() {
    return auth.icvLength();
  }

  /** HMAC(aad ‖ iv ‖ ct) into the per-instance tag buffer; its first icvLength bytes count. */
  private byte[] icv(byte[] aad, byte[] iv, byte[] ct, int off, int len)
      throws GeneralSecurityException {
    if (mac == null) {
      mac = Mac.getInstance(auth.hash().macName());
      mac.init(macKey);
      tag = new byte[mac.getMacLength()];
    }
    mac.update(aad);
    mac.update(iv);
    mac.update(ct, off, len);
    mac.doFinal(tag, 0);
    return tag;
  }

  private int crypt(int mode, byte[] iv, byte[] in, int off, int len, byte[] out, int outOff)
      throws GeneralSecurityException {
    if (encKey == null) {
      System.arraycopy(in, off, out, outOff, len);
      return len;
    }
    if (len % cipher.blockSize() != 0) {
      throw new CryptoException("CBC payload not a multiple of the block size");
    }
    if (cbc == null) {
      cbc = Cipher.getInstance(cipher.transformation());
    }
    cbc.init(mode, encKey, new IvParameterSpec(iv));
    return cbc.doFinal(in, off, len, out, outOff);
  }

  @Override
  public int seal(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff) {
    try {
      int n = crypt(Cipher.ENCRYPT_MODE, iv, buf, off, len, out, outOff);
      byte[] t = icv(aad, iv, out, outOff, n);
      System.arraycopy(t, 0, out, outOff + n, auth.icvLength());
      return n + auth.icvLength();
    } catch (GeneralSecurityException e) {
      throw new CryptoException(cipher + " seal failed", e);
    }
  }

  @Override
  public int open(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff) {
    int ctLen = len - auth.icvLength();
    if (ctLen < 0) {
      return -1;
    }
    try {
      byte[] want = icv(aad, iv, buf, off, ctLen);
      int diff = 0; // constant time: no early exit on the first differing byte
      for (int i = 0; i < auth.icvLength(); i++) {
        diff |= want[i] ^ buf[off + ctLen + i];
      }
      if (diff != 0) {
        return -1;
      }
      return crypt(Cipher.DECRYPT_MODE, iv, buf, off, ctLen, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(cipher + " open failed", e);
    }
  }
}
