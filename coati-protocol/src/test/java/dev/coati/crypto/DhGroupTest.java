package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import javax.crypto.interfaces.DHPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DhGroupTest {

  /** RFC 5903 section 8: i, g^i (x‖y), r, g^r, and the shared x coordinate of g^ir. */
  static void rfc5903(DhGroup g, String i, String gi, String r, String gr, String gir) {
    KeyExchange a = g.fromPrivate(Hex.decode(i));
    KeyExchange b = g.fromPrivate(Hex.decode(r));
    assertArrayEquals(Hex.decode(gi), a.publicKey(), g + " g^i");
    assertArrayEquals(Hex.decode(gr), b.publicKey(), g + " g^r");
    assertArrayEquals(Hex.decode(gir), a.agree(Hex.decode(gr)).bytes());
    assertArrayEquals(Hex.decode(gir), b.agree(Hex.decode(gi)).bytes());
  }

  @Test
  void ecp256_rfc5903_section8_1() {
    rfc5903(
        DhGroup.ECP_256,
        "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
        "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
            + "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
        "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
        "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
            + "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
        "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
  }

  @Test
  void ecp384_rfc5903_section8_2() {
    rfc5903(
        DhGroup.ECP_384,
        "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655e35b538041e649ee3faef896783ab194",
        "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa"
            + "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c",
        "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942e0308312916b8ed2960e4bd55a7448fc",
        "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571"
            + "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c",
        "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746");
  }

  @Test
  void ecp521_rfc5903_section8_3() {
    rfc5903(
        DhGroup.ECP_521,
        "0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a095aa85a30fe1c2952c6771d937ba9777"
            + "f5957b2639bab072462f68c27a57382d4a52",
        "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbee1e3bf42e00b8e380aeae57c2d107564"
            + "941885942af5a7f4601723c4195d176ced3e"
            + "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10ad8a788015ac405d7799dc75e7b7d5b"
            + "6cf2261a6a7f1507438bf01beb6ca3926f9582",
        "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e9c677d600b343757a3bdbf2a3163e4c2"
            + "f869cca7458aa4a4effc311f5cb151685eb9",
        "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a219b97c356436adc6e95bb0352f6be64a6"
            + "c2912d4ef2d0433ced2b6171640012d9460f"
            + "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87220b6536c5c408a1d2aebb8e86d678"
            + "ae49cb57091f4732296579ab44fcd17f0fc56a",
        "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04d1427e73ca4baa240a34786859810c06"
            + "b3c715a3a8cc3151f2bee417996d19f3ddea");
  }

  @Test
  void curve25519_rfc7748_section6_1() {
    KeyExchange alice =
        DhGroup.CURVE25519.fromPrivate(
            Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    KeyExchange bob =
        DhGroup.CURVE25519.fromPrivate(
            Hex.decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertArrayEquals(
        Hex.decode("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
        alice.publicKey());
    assertArrayEquals(
        Hex.decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
        bob.publicKey());
    byte[] k = Hex.decode("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    assertArrayEquals(k, alice.agree(bob.publicKey()).bytes());
    assertArrayEquals(k, bob.agree(alice.publicKey()).bytes());
  }

  /**
   * The MODP primes we compute from RFC 3526's definition equal the JDK's own copies of the same
   * groups (sun.security.provider.ParameterCache, an independent source), and begin as the RFC
   * prints them.
   */
  @ParameterizedTest
  @EnumSource(
      value = DhGroup.class,
      names = {
        "MODP_768",
        "MODP_1024",
        "MODP_1536",
        "MODP_2048",
        "MODP_3072",
        "MODP_4096",
        "MODP_6144",
        "MODP_8192"
      })
  void modpPrimes_matchTheJdkCopyOfRfc3526(DhGroup g) throws Exception {
    BigInteger p = g.prime();
    assertEquals(g.publicKeyLength() * 8, p.bitLength());
    assertTrue(p.toString(16).startsWith("ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1"));
    assertTrue(p.toString(16).endsWith("ffffffffffffffff"));
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("DH");
    kpg.initialize(p.bitLength());
    BigInteger jdk = ((DHPublicKey) kpg.generateKeyPair().getPublic()).getParams().getP();
    assertEquals(jdk, p);
  }

  @Test
  void modp1024_isASafePrime() {
    BigInteger p = DhGroup.MODP_1024.prime();
    assertTrue(p.isProbablePrime(40));
    assertTrue(p.shiftRight(1).isProbablePrime(40));
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void twoParties_agree_onEveryGroup(DhGroup g) {
    DhFactory f = DhFactory.using(RandomSource.deterministic(g.ordinal()));
    KeyExchange a = f.create(g);
    KeyExchange b = f.create(g);
    assertEquals(g.publicKeyLength(), a.publicKey().length);
    assertArrayEquals(a.agree(b.publicKey()).bytes(), b.agree(a.publicKey()).bytes());
  }

  @Test
  void badPeerValues_areRejected() {
    KeyExchange m = DhGroup.MODP_2048.generate(RandomSource.deterministic(1));
    int n = DhGroup.MODP_2048.publicKeyLength();
    byte[] one = new byte[n];
    one[n - 1] = 1;
    byte[] pMinus1 = ModpKeyExchange.fixed(DhGroup.MODP_2048.prime().subtract(BigInteger.ONE), n);
    assertThrows(InvalidPeerKeyException.class, () -> m.agree(new byte[n]));
    assertThrows(InvalidPeerKeyException.class, () -> m.agree(one));
    assertThrows(InvalidPeerKeyException.class, () -> m.agree(pMinus1));
    assertThrows(InvalidPeerKeyException.class, () -> m.agree(new byte[n + 1]));
    KeyExchange e = DhGroup.ECP_256.generate(RandomSource.deterministic(2));
    byte[] offCurve = e.publicKey();
    offCurve[63] ^= 1;
    assertThrows(InvalidPeerKeyException.class, () -> e.agree(offCurve));
    assertThrows(InvalidPeerKeyException.class, () -> e.agree(new byte[64]));
    KeyExchange x = DhGroup.CURVE25519.generate(RandomSource.deterministic(3));
    assertThrows(InvalidPeerKeyException.class, () -> x.agree(new byte[32]), "small order point");
  }
}
