package dev.coati.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-GCM for ESP (RFC 4106): nonce = 4-byte salt from the keymat ‖ 8-byte explicit IV. */
final class GcmAead implements Aead {
  private final SecretKeySpec key;
  private final byte[] salt;
  private final int icv;

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

  private Cipher init(int mode, byte[] iv, byte[] aad) throws GeneralSecurityException {
    if (iv.length != 8) {
      throw new CryptoException("GCM IV must be 8 bytes");
    }
    byte[] nonce = new byte[12];
    System.arraycopy(salt, 0, nonce, 0, 4);
    System.arraycopy(iv, 0, nonce, 4, 8);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(icv * 8, nonce));
    c.updateAAD(aad);
    return c;
  }

  @Override
  public int seal(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff) {
    try {
      return init(Cipher.ENCRYPT_MODE, iv, aad).doFinal(buf, off, len, out, outOff);
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
      return init(Cipher.DECRYPT_MODE, iv, aad).doFinal(buf, off, len, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-GCM open failed", e);
    }
  }
}
