package dev.coati.l2tp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.l2tp.wire.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class L2tpControlChannelTest {
  static final ControlChannel.Config CONFIG = new ControlChannel.Config(16, 1000, 8000, 5, 100);

  static ControlMessage hello(int i) {
    return ControlMessage.of(7, 0, MessageType.HELLO, List.of(Avps.vendorName("m" + i)));
  }

  static String label(ControlMessage m) {
    return m.find(dev.coati.l2tp.wire.AvpType.VENDOR_NAME).orElseThrow().text();
  }

  /** One end of the simulation: a channel, what it has delivered, the messages it must send. */
  static final class End {
    final ControlChannel channel = new ControlChannel(CONFIG);
    final List<String> delivered = new ArrayList<>();
    int sent;
  }

  record InFlight(long at, long seq, End to, byte[] wire) {}

  /** A lossy, duplicating, reordering link between two ends, driven by a seeded random. */
  static final class Link {
    final Random random;
    final PriorityQueue<InFlight> queue =
        new PriorityQueue<>(
            (a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.seq, b.seq));
    long seq;
    int transmitted;

    Link(long seed) {
      random = new Random(seed);
    }

    void put(End to, ControlChannel.Output out, long now, double loss, double dup) {
      assertFalse(out.dead(), "tunnel died");
      for (ControlMessage m : out.transmit()) {
        transmitted++;
        int copies = random.nextDouble() < dup ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          if (random.nextDouble() >= loss) {
            queue.add(new InFlight(now + 5 + random.nextInt(300), seq++, to, m.encode()));
          }
        }
      }
    }
  }

  private static void runLossy(long seed, double loss, double dup, int count) {
    End a = new End();
    End b = new End();
    Link link = new Link(seed);
    long now = 0;
    for (int step = 0; step < 2_000_000; step++, now += 10) {
      for (End from : List.of(a, b)) {
        End to = from == a ? b : a;
        if (from.sent < count && from.channel.outstanding() < 32) {
          link.put(to, from.channel.send(hello(from.sent++), now), now, loss, dup);
        }
        link.put(to, from.channel.tick(now), now, loss, dup);
      }
      while (!link.queue.isEmpty() && link.queue.peek().at() <= now) {
        InFlight f = link.queue.poll();
        End back = f.to() == a ? b : a;
        ControlChannel.Output out = f.to().channel.receive(ControlMessage.decode(f.wire()), now);
        out.deliver().forEach(m -> f.to().delivered.add(label(m)));
        link.put(back, out, now, loss, dup);
      }
      if (a.delivered.size() == count
          && b.delivered.size() == count
          && a.channel.outstanding() == 0
          && b.channel.outstanding() == 0) {
        break;
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, a.delivered, "b to a, seed " + seed);
    assertEquals(expected, b.delivered, "a to b, seed " + seed);
    assertEquals(0, a.channel.outstanding());
    assertEquals(0, b.channel.outstanding());
    assertTrue(link.transmitted > 2 * count, "losses forced retransmits and ZLBs");
  }

  @Test
  void lossDuplicationAndReordering_thousandEachWay_deliveredOnceInOrder() {
    runLossy(1, 0.15, 0.10, 1000);
    runLossy(2, 0.05, 0.30, 1000);
  }

  @Test
  void sequenceNumbers_wrapAt16Bits() {
    ControlChannel a = new ControlChannel(CONFIG);
    ControlChannel b = new ControlChannel(CONFIG);
    int n = 70_000;
    long now = 0;
    int delivered = 0;
    for (int i = 0; i < n; i++, now++) {
      for (ControlMessage m : a.send(hello(i), now).transmit()) {
        assertEquals(i & 0xffff, m.ns());
        ControlChannel.Output out = b.receive(ControlMessage.decode(m.encode()), now);
        assertEquals(1, out.deliver().size());
        assertEquals("m" + i, label(out.deliver().get(0)));
        delivered++;
      }
      ControlChannel.Output ack = b.tick(now + CONFIG.ackDelayMillis());
      assertEquals(1, ack.transmit().size(), "a ZLB after the ack delay");
      assertTrue(ack.transmit().get(0).isZlb());
      a.receive(ack.transmit().get(0), now);
      assertEquals(0, a.outstanding());
    }
    assertEquals(n, delivered);
  }

  @Test
  void piggybackedAck_suppressesTheZlb_andDuplicatesAreAckedAtOnce() {
    ControlChannel a = new ControlChannel(CONFIG);
    ControlChannel b = new ControlChannel(CONFIG);
    ControlMessage m0 = a.send(hello(0), 0).transmit().get(0);
    assertEquals(1, b.receive(m0, 0).deliver().size());
    ControlMessage reply = b.send(hello(100), 10).transmit().get(0);
    assertEquals(1, reply.nr(), "the ack rides on the reply");
    assertTrue(b.tick(500).transmit().isEmpty(), "no ZLB needed");
    ControlChannel.Output dup = b.receive(m0, 600);
    assertTrue(dup.deliver().isEmpty());
    assertEquals(1, dup.transmit().size());
    assertTrue(dup.transmit().get(0).isZlb());
    assertEquals(1, dup.transmit().get(0).nr());
    assertEquals(1, dup.transmit().get(0).ns(), "a ZLB carries the next Ns, not a new one");
  }

  @Test
  void outOfOrder_isQueuedWithinTheWindow_andBeyondItDropped() {
    ControlChannel a = new ControlChannel(new ControlChannel.Config(4, 1000, 8000, 5, 100));
    a.peerReceiveWindow(8);
    ControlChannel sender = new ControlChannel(CONFIG);
    sender.peerReceiveWindow(8);
    List<ControlMessage> msgs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      msgs.addAll(sender.send(hello(i), 0).transmit());
    }
    assertEquals(6, msgs.size());
    assertTrue(a.receive(msgs.get(5), 1).deliver().isEmpty(), "5 ahead: beyond window 4");
    assertTrue(a.receive(msgs.get(2), 1).deliver().isEmpty());
    assertTrue(a.receive(msgs.get(1), 1).deliver().isEmpty());
    List<ControlMessage> up = a.receive(msgs.get(0), 2).deliver();
    assertEquals(
        List.of("m0", "m1", "m2"), up.stream().map(L2tpControlChannelTest::label).toList());
    assertEquals(List.of("m3"), labels(a.receive(msgs.get(3), 3)));
    assertEquals(List.of("m4"), labels(a.receive(msgs.get(4), 4)));
    assertEquals(List.of("m5"), labels(a.receive(msgs.get(5), 5)), "dropped earlier, now in order");
    assertEquals(List.of(), labels(a.receive(msgs.get(5), 6)), "a duplicate");
  }

  private static List<String> labels(ControlChannel.Output out) {
    return out.deliver().stream().map(L2tpControlChannelTest::label).toList();
  }

  @Test
  void senderRespectsThePeerWindow() {
    ControlChannel a = new ControlChannel(CONFIG);
    int sent = 0;
    for (int i = 0; i < 10; i++) {
      sent += a.send(hello(i), 0).transmit().size();
    }
    assertEquals(ControlChannel.DEFAULT_PEER_WINDOW, sent);
    ControlChannel.Output opened = a.receive(ControlMessage.zlb(7, 0, 2), 5);
    assertEquals(2, opened.transmit().size(), "two acked, two more go out");
    assertEquals(4, opened.transmit().get(0).ns());
  }

  @Test
  void unansweredMessage_backsOffExponentially_thenTheTunnelIsDead() {
    ControlChannel a = new ControlChannel(CONFIG);
    assertEquals(1, a.send(hello(0), 0).transmit().size());
    List<Long> retransmitTimes = new ArrayList<>();
    boolean died = false;
    for (long now = 0; now <= 60_000 && !died; now += 100) {
      ControlChannel.Output out = a.tick(now);
      if (!out.transmit().isEmpty()) {
        assertEquals(0, out.transmit().get(0).ns());
        retransmitTimes.add(now);
      }
      died = out.dead();
    }
    assertEquals(List.of(1000L, 3000L, 7000L, 15000L, 23000L), retransmitTimes);
    assertTrue(died);
    assertTrue(a.dead());
    assertTrue(a.send(hello(1), 30_000).dead());
    assertTrue(a.send(hello(1), 30_000).transmit().isEmpty());
  }

  @Test
  void sequenceComparison_isModulo16Bits() {
    assertTrue(ControlChannel.before(0xffff, 0));
    assertTrue(ControlChannel.before(1, 2));
    assertFalse(ControlChannel.before(2, 2));
    assertFalse(ControlChannel.before(0, 0xffff));
    assertFalse(ControlChannel.before(0, 0x8000));
  }
}
