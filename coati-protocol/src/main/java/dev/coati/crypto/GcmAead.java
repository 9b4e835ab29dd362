package dev.coati.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-GCM for ESP (RFC 4106): nonce = 4-byte salt from the keymat ‖ 8-byte explicit IV. */
final class GcmAead implements Aead {
  private final SecretKeySpec key;
  private final byte[] salt;
  private final int icv;
  // one instance per direction of use; an SA is used by one thread per direction
  private Cipher encryptor;
  private Cipher decryptor;
  // the nonce is built here, not per packet: GCMParameterSpec copies it
  private final byte[] encryptNonce = new byte[12];
  private final byte[] decryptNonce = new byte[12];

  GcmAead(EspCipher cipher, Secret keymat) {
    int keyBytes = keymat.length() - cipher.saltLength();
    if (keyBytes != 16 && keyBytes != 24 && keyBytes != 32) {
      throw new CryptoException("AES-GCM keymat of " + keymat.length() + " bytes");
    }
    this.key = new SecretKeySpec(keymat.bytes(0, keyBytes), "AES");
    this.salt = keymat.bytes(keyBytes, cipher.saltLength());
    this.icv = cipher.icvLength();
  }

  @Override
  public int ivLength() {
    return 8;
  }

  @Override
  public int icvLength() {
    return icv;
  }

  /** JCE's GCM accepts tags of 96-128 bits; the 64-bit ICV is the full tag truncated. */
  private int jceTagBytes() {
    return icv < 12 ? 16 : icv;
  }

  private byte[] nonce(byte[] iv) {
    return nonce(iv, new byte[12]);
  }

  private byte[] nonce(byte[] iv, byte[] nonce) {
    if (iv.length != 8) {
      throw new CryptoException("GCM IV must be 8 bytes");
    }
    System.arraycopy(salt, 0, nonce, 0, 4);
    System.arraycopy(iv, 0, nonce, 4, 8);
    return nonce;
  }

  private Cipher init(int mode, byte[] iv, byte[] aad) throws GeneralSecurityException {
    Cipher c;
    if (mode == Cipher.ENCRYPT_MODE) {
      c = encryptor == null ? (encryptor = Cipher.getInstance("AES/GCM/NoPadding")) : encryptor;
    } else {
      c = decryptor == null ? (decryptor = Cipher.getInstance("AES/GCM/NoPadding")) : decryptor;
    }
    byte[] n = nonce(iv, mode == Cipher.ENCRYPT_MODE ? encryptNonce : decryptNonce);
    c.init(mode, key, new GCMParameterSpec(jceTagBytes() * 8, n));
    c.updateAAD(aad);
    return c;
  }

  @Override
  public int seal(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff) {
    try {
      if (jceTagBytes() == icv) {
        return init(Cipher.ENCRYPT_MODE, iv, aad).doFinal(buf, off, len, out, outOff);
      }
      byte[] full = init(Cipher.ENCRYPT_MODE, iv, aad).doFinal(buf, off, len);
      System.arraycopy(full, 0, out, outOff, len + icv);
      return len + icv;
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-GCM seal failed", e);
    }
  }

  @Override
  public int open(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff) {
    if (len < icv) {
      return -1;
    }
    try {
      if (jceTagBytes() == icv) {
        return init(Cipher.DECRYPT_MODE, iv, aad).doFinal(buf, off, len, out, outOff);
      }
      return openTruncated(iv, aad, buf, off, len, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-GCM open failed", e);
    }
  }

  /**
   * A truncated tag: recover the plaintext with AES-CTR from counter 2 (GCM's first data block for
   * a 96-bit nonce), recompute the full tag by sealing it again, compare the prefix in constant
   * time, and only then hand the plaintext out.
   */
  private int openTruncated(
      byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff)
      throws GeneralSecurityException {
    int ctLen = len - icv;
    byte[] ctr = Arrays.copyOf(nonce(iv), 16);
    ctr[15] = 2;
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(ctr));
    byte[] plain = c.doFinal(buf, off, ctLen);
    // a fresh instance: JCE refuses to encrypt twice with one IV on the same Cipher object, and
    // a forged copy of a packet carries the IV of the genuine one (GCM-8 is rare; cost is fine)
    Cipher verifier = Cipher.getInstance("AES/GCM/NoPadding");
    verifier.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(iv)));
    verifier.updateAAD(aad);
    byte[] again = verifier.doFinal(plain);
    byte[] want = Arrays.copyOfRange(again, ctLen, ctLen + icv);
    byte[] got = Arrays.copyOfRange(buf, off + ctLen, off + len);
    if (!MessageDigest.isEqual(want, got)) {
      return -1;
    }
    System.arraycopy(plain, 0, out, outOff, ctLen);
    return ctLen;
  }
}
