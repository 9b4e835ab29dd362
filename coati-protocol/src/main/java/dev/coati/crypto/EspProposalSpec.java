package dev.coati.crypto;

/** One configured ESP algorithm set; {@code auth} is null for AES-GCM, {@code pfs} null: none. */
public record EspProposalSpec(EspCipher cipher, int keyBits, EspAuth auth, DhGroup pfs) {}
