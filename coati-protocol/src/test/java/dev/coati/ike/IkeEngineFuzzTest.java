package dev.coati.ike;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.util.ByteReader;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer target: datagrams from one peer into a responder {@link IkeEngine} (main and aggressive
 * mode PSK with the strongSwan captures' key and group, Xauth-free), as the IKE socket hands them
 * over: the input is a list of records {@code [u16 length][datagram]}; a record of length 0 lets 10
 * s pass (retransmits, half-open expiry). {@link IkeEngine#receive} never throws, and every
 * datagram the engine sends has a valid ISAKMP header.
 */
class IkeEngineFuzzTest {
  static final PeerAddress LOCAL = PeerAddress.ipv4(10, 98, 0, 1, 500);
  static final PeerAddress PEER = PeerAddress.ipv4(10, 98, 0, 2, 500);

  /** Read-only for the engine: built once, not per input (proposal parsing was a third). */
  private static final TestPolicy POLICY = policy();

  /** One key pair per group for the run; new peer values still agree for real. */
  private static final CachingDhFactory DH = new CachingDhFactory(RandomSource.deterministic(11));

  private static TestPolicy policy() {
    TestPolicy policy =
        new TestPolicy(
            "aes128-sha1-modp2048,aes256-sha256-modp2048,aes256-sha1-ecp256,3des-md5-modp1024",
            "aes128-sha1,aes256-sha256,aes128gcm16,3des-md5",
            IdPayload.fqdn("vpn.test"));
    policy.psks.put("any", "coati-test-psk");
    policy.psks.put("vpngroup", "coati-test-psk");
    policy.aggressiveIds.add("vpngroup");
    return policy;
  }

  @FuzzTest
  void receive(byte[] input) {
    long[] now = {1_000_000};
    List<byte[]> sent = new ArrayList<>();
    RandomSource random = RandomSource.deterministic(7);
    IkeEngine engine =
        new IkeEngine(
            new IkeContext(
                () -> now[0],
                random,
                DH,
                POLICY,
                new Outbox() {
                  @Override
                  public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
                    sent.add(datagram);
                  }

                  @Override
                  public void keepalive(PeerAddress from, PeerAddress to) {}
                },
                new RecordingListener(),
                RetransmitPolicy.DEFAULT));
    ByteReader r = new ByteReader(input);
    for (int records = 0; r.remaining() >= 2 && records < 16; records++) {
      int len = Math.min(r.u16(), r.remaining());
      if (len == 0) {
        now[0] += 10_000;
        engine.tick();
      } else {
        PeerAddress from = (len & 1) == 0 ? PEER : PEER.withPort(4500);
        PeerAddress to = from.port() == 500 ? LOCAL : LOCAL.withPort(4500);
        engine.receive(to, from, r.bytes(len));
      }
      for (byte[] d : sent) {
        IsakmpCodec.peekHeader(d);
      }
      sent.clear();
    }
  }
}
