package dev.coati.crypto;

/** One configured phase-1 algorithm set; {@code prf} null means HMAC with {@code hash}. */
public record IkeProposalSpec(
    IkeCipher cipher, int keyBits, HashAlg hash, HashAlg prf, DhGroup group) {
  @Override
  public String toString() {
    return ProposalParser.name(cipher, keyBits)
        + "-"
        + ProposalParser.name(hash)
        + "-"
        + ProposalParser.name(group);
  }
}
