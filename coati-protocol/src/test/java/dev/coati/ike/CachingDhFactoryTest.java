package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.InvalidPeerKeyException;
import dev.coati.crypto.KeyExchange;
import dev.coati.util.RandomSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fuzzing DH factory agrees like the real one, rejects like it, and fails after destroy. */
class CachingDhFactoryTest {
  @ParameterizedTest
  @EnumSource(
      value = DhGroup.class,
      names = {"MODP_1024", "MODP_2048", "ECP_256", "CURVE25519"})
  void agreesWithThePeerAsTheRealExchangeDoes(DhGroup group) {
    CachingDhFactory cached = new CachingDhFactory(RandomSource.deterministic(1));
    KeyExchange peer = DhFactory.using(RandomSource.deterministic(2)).create(group);
    KeyExchange ours = cached.create(group);
    byte[] shared = ours.agree(peer.publicKey()).bytes();
    assertArrayEquals(peer.agree(ours.publicKey()).bytes(), shared);
    // a later exchange in the same group: the same key pair, the remembered agreement, a fresh copy
    KeyExchange again = cached.create(group);
    assertArrayEquals(ours.publicKey(), again.publicKey());
    assertArrayEquals(shared, again.agree(peer.publicKey()).bytes());
  }

  @ParameterizedTest
  @EnumSource(
      value = DhGroup.class,
      names = {"MODP_1024", "ECP_256"})
  void rejectsBadPeerValuesEveryTime(DhGroup group) {
    CachingDhFactory cached = new CachingDhFactory(RandomSource.deterministic(1));
    byte[] zeros = new byte[group.publicKeyLength()];
    for (int i = 0; i < 2; i++) {
      KeyExchange ours = cached.create(group);
      assertThrows(InvalidPeerKeyException.class, () -> ours.agree(zeros));
      assertThrows(InvalidPeerKeyException.class, () -> ours.agree(new byte[3]));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DhGroup.class,
      names = {"MODP_1024", "ECP_256"})
  void aDestroyedHandleCannotBeUsed(DhGroup group) {
    CachingDhFactory cached = new CachingDhFactory(RandomSource.deterministic(1));
    KeyExchange peer = DhFactory.using(RandomSource.deterministic(2)).create(group);
    KeyExchange ours = cached.create(group);
    ours.destroy();
    assertThrows(IllegalStateException.class, ours::publicKey);
    assertThrows(IllegalStateException.class, () -> ours.agree(peer.publicKey()));
    // other handles of the same group still work
    cached.create(group).agree(peer.publicKey());
  }
}
