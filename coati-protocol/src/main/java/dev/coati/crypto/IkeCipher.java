package dev.coati.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** IKEv1 encryption algorithms (RFC 2409 Appendix A ids; AES per RFC 3602). */
public enum IkeCipher {
  DES_CBC(1, "DES", "DES/CBC/NoPadding", 8, new int[] {64}, false, true),
  TDES_CBC(5, "DESede", "DESede/CBC/NoPadding", 8, new int[] {192}, false, false),
  AES_CBC(7, "AES", "AES/CBC/NoPadding", 16, new int[] {128, 192, 256}, true, false);

  private final int ikeId;
  private final String keyAlg;
  private final String transformation;
  private final int blockSize;
  private final int[] keyLengths;
  private final boolean variable;
  private final boolean legacy;

  private volatile Boolean supported;

  IkeCipher(
      int id,
      String keyAlg,
      String tr,
      int bs,
      int[] keyLengths,
      boolean variable,
      boolean legacy) {
    this.ikeId = id;
    this.keyAlg = keyAlg;
    this.transformation = tr;
    this.blockSize = bs;
    this.keyLengths = keyLengths;
    this.variable = variable;
    this.legacy = legacy;
  }

  public int ikeId() {
    return ikeId;
  }

  public int blockSize() {
    return blockSize;
  }

  /** Key lengths in bits. */
  public int[] keyLengths() {
    return keyLengths.clone();
  }

  /** Whether the KEY_LENGTH attribute selects the key size. */
  public boolean variableKeyLength() {
    return variable;
  }

  public boolean legacy() {
    return legacy;
  }

  public static Optional<IkeCipher> fromIkeId(int id) {
    for (IkeCipher c : values()) {
      if (c.ikeId == id) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Whether the JCE has this cipher; asked once (the lookup costs more than a first message). */
  public boolean isSupported() {
    Boolean s = supported;
    if (s == null) {
      try {
        Cipher.getInstance(transformation);
        s = true;
      } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
        s = false;
      }
      supported = s;
    }
    return s;
  }

  public CbcCipher create(Secret key) {
    return new JceCbc(transformation, keyAlg, blockSize, key.bytes());
  }

  /** CBC through the JCE. */
  private record JceCbc(String transformation, String keyAlg, int blockSize, byte[] key)
      implements CbcCipher {
    @Override
    public byte[] encrypt(byte[] iv, byte[] plain) {
      return run(Cipher.ENCRYPT_MODE, iv, plain);
    }

    @Override
    public byte[] decrypt(byte[] iv, byte[] ct) {
      return run(Cipher.DECRYPT_MODE, iv, ct);
    }

    private byte[] run(int mode, byte[] iv, byte[] in) {
      if (in.length % blockSize != 0 || iv.length != blockSize) {
        throw new CryptoException("CBC input not a multiple of " + blockSize);
      }
      try {
        Cipher c = Cipher.getInstance(transformation);
        c.init(mode, new SecretKeySpec(key, keyAlg), new IvParameterSpec(iv));
        return c.doFinal(in);
      } catch (GeneralSecurityException e) {
        throw new CryptoException(transformation + " failed", e);
      }
    }

    @Override
    public String toString() {
      return transformation;
    }
  }
}
