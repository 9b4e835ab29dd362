package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppOption;
import dev.coati.ppp.wire.PppProtocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/** One end of an in-memory PPP link: an automaton, its outbox and the layer events it raised. */
final class TestPeer implements AutomatonListener {
  final Deque<ControlPacket> outbox = new ArrayDeque<>();
  final List<String> events = new ArrayList<>();
  final List<ControlPacket> sent = new ArrayList<>();
  final OptionAutomaton automaton;
  final OptionPolicy policy;

  TestPeer(PppProtocol protocol, OptionPolicy policy, RestartConfig config) {
    this.policy = policy;
    automaton = new OptionAutomaton(protocol, policy, config, this);
  }

  @Override
  public void send(ControlPacket packet) {
    outbox.add(packet);
    sent.add(packet);
  }

  @Override
  public void thisLayerUp() {
    events.add("up");
  }

  @Override
  public void thisLayerDown() {
    events.add("down");
  }

  @Override
  public void thisLayerFinished() {
    events.add("finished");
  }

  @Override
  public void protocolRejected(PppProtocol protocol) {
    events.add("rejected " + protocol);
  }

  /**
   * Delivers queued packets both ways until both outboxes are empty; {@code drop} may lose some.
   */
  static void pump(TestPeer a, TestPeer b, long now, Function<ControlPacket, Boolean> drop) {
    for (int round = 0; round < 100 && !(a.outbox.isEmpty() && b.outbox.isEmpty()); round++) {
      deliver(a, b, now, drop);
      deliver(b, a, now, drop);
    }
  }

  private static void deliver(
      TestPeer from, TestPeer to, long now, Function<ControlPacket, Boolean> drop) {
    while (!from.outbox.isEmpty()) {
      ControlPacket p = from.outbox.poll();
      if (!drop.apply(p)) {
        to.automaton.receive(ControlPacket.decode(p.encode()), now);
      }
    }
  }

  /** A client-side policy: requests fixed options and acks every option except the listed naks. */
  static class Client implements OptionPolicy {
    final List<PppOption> request;
    final Function<PppOption, Verdict> judge;
    final List<List<PppOption>> naksReceived = new ArrayList<>();
    final List<List<PppOption>> rejectsReceived = new ArrayList<>();

    Client(List<PppOption> request, Function<PppOption, Verdict> judge) {
      this.request = new ArrayList<>(request);
      this.judge = judge;
    }

    @Override
    public List<PppOption> request() {
      return List.copyOf(request);
    }

    @Override
    public Verdict judge(PppOption o) {
      return judge.apply(o);
    }

    @Override
    public void peerNak(List<PppOption> suggestions) {
      naksReceived.add(suggestions);
      for (PppOption s : suggestions) {
        request.replaceAll(o -> o.type() == s.type() ? s : o);
        if (request.stream().noneMatch(o -> o.type() == s.type())) {
          request.add(s);
        }
      }
    }

    @Override
    public void peerReject(List<PppOption> rejected) {
      rejectsReceived.add(rejected);
      request.removeIf(o -> rejected.stream().anyMatch(r -> r.type() == o.type()));
    }

    @Override
    public void peerAck(List<PppOption> ours) {}

    @Override
    public void accepted(List<PppOption> peers) {}
  }
}
