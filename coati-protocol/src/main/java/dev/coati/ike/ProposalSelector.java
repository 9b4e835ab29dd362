package dev.coati.ike;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Proposal selection (RFC 2408 section 4.2): by default the first acceptable transform in the
 * peer's order; with server preference, the acceptable transform ranked highest in our list.
 */
final class ProposalSelector {
  private ProposalSelector() {}

  /** The chosen phase-1 proposal and transform (as received) with its typed form. */
  record Choice(Proposal proposal, Transform transform, Phase1Transform phase1) {}

  /** The chosen quick mode proposal and transform with its typed form. */
  record EspChoice(Proposal proposal, Transform transform, Phase2Transform phase2) {}

  static Optional<Choice> selectPhase1(SaPayload offered, IkePolicy policy) {
    return selectPhase1(offered, policy, t -> true);
  }

  static Optional<Choice> selectPhase1(
      SaPayload offered, IkePolicy policy, Predicate<Phase1Transform> extra) {
    List<IkeProposalSpec> ours = policy.ikeProposals();
    Choice best = null;
    int bestRank = Integer.MAX_VALUE;
    for (Proposal p : offered.proposals()) {
      if (!p.protocolId().equals(ProtocolId.ISAKMP)) {
        continue;
      }
      for (Transform t : p.transforms()) {
        Optional<Phase1Transform> parsed = Phase1Transform.parse(t);
        if (parsed.isEmpty()
            || !policy.authMethods().contains(parsed.get().authMethod())
            || !extra.test(parsed.get())) {
          continue;
        }
        int rank = rank(ours, parsed.get());
        if (rank < 0) {
          continue;
        }
        if (!policy.serverPreference()) {
          return Optional.of(new Choice(p, t, parsed.get()));
        }
        if (rank < bestRank) {
          bestRank = rank;
          best = new Choice(p, t, parsed.get());
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static int rank(List<IkeProposalSpec> ours, Phase1Transform t) {
    for (int i = 0; i < ours.size(); i++) {
      if (ours.get(i).cipher().isSupported() && t.matches(ours.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Selects an ESP proposal. Proposals sharing a number form an AND-bundle (e.g. AH+ESP); only
   * single-ESP bundles are accepted. {@code pfsOk} says whether a transform's PFS group (or its
   * absence) is acceptable under our PFS policy.
   */
  static Optional<EspChoice> selectEsp(
      SaPayload offered,
      List<EspProposalSpec> ours,
      boolean serverPreference,
      Predicate<Phase2Transform> pfsOk) {
    Map<Integer, List<Proposal>> bundles = new LinkedHashMap<>();
    for (Proposal p : offered.proposals()) {
      bundles.computeIfAbsent(p.number(), k -> new ArrayList<>()).add(p);
    }
    EspChoice best = null;
    int bestRank = Integer.MAX_VALUE;
    for (List<Proposal> bundle : bundles.values()) {
      if (bundle.size() != 1) {
        continue;
      }
      Proposal p = bundle.get(0);
      if (!p.protocolId().equals(ProtocolId.IPSEC_ESP) || p.spi().length != 4) {
        continue;
      }
      for (Transform t : p.transforms()) {
        Optional<Phase2Transform> parsed = Phase2Transform.parse(t);
        if (parsed.isEmpty() || !pfsOk.test(parsed.get())) {
          continue;
        }
        int rank = -1;
        for (int i = 0; i < ours.size() && rank < 0; i++) {
          if (parsed.get().matches(ours.get(i))) {
            rank = i;
          }
        }
        if (rank < 0) {
          continue;
        }
        if (!serverPreference) {
          return Optional.of(new EspChoice(p, t, parsed.get()));
        }
        if (rank < bestRank) {
          bestRank = rank;
          best = new EspChoice(p, t, parsed.get());
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Initiator: the responder must have chosen exactly one ESP transform we offered. */
  static Phase2Transform acceptEspReply(SaPayload ourOffer, SaPayload reply) {
    if (reply.proposals().size() != 1
        || reply.proposals().get(0).transforms().size() != 1
        || reply.proposals().get(0).spi().length != 4) {
      throw new IkeProtocolException(
          NotifyType.BAD_PROPOSAL_SYNTAX, "responder must choose one ESP transform");
    }
    Phase2Transform got =
        Phase2Transform.parse(reply.proposals().get(0).transforms().get(0))
            .orElseThrow(
                () -> new IkeProtocolException(NotifyType.NO_PROPOSAL_CHOSEN, "unknown transform"));
    boolean offered =
        ourOffer.proposals().get(0).transforms().stream()
            .map(Phase2Transform::parse)
            .flatMap(Optional::stream)
            .anyMatch(
                o ->
                    o.cipher() == got.cipher()
                        && o.keyBits() == got.keyBits()
                        && o.auth() == got.auth()
                        && o.pfsGroup() == got.pfsGroup()
                        && o.encapsulationMode() == got.encapsulationMode());
    if (!offered) {
      throw new IkeProtocolException(
          NotifyType.NO_PROPOSAL_CHOSEN, "responder chose a transform we did not offer");
    }
    return got;
  }
}
