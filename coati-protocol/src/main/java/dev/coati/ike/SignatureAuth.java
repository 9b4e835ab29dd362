package dev.coati.ike;

import dev.coati.crypto.pki.CertificateIdentity;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.crypto.pki.IkeIdType;
import dev.coati.crypto.pki.SignatureVerifier;
import dev.coati.crypto.pki.Verdict;
import dev.coati.ike.wire.CertPayload;
import dev.coati.ike.wire.CertReqPayload;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.Payload;
import dev.coati.ike.wire.SigPayload;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase-1 authentication with certificates (RFC 2409 section 5.1: SIG = signature of HASH_I or
 * HASH_R with SKEYID = prf(Ni_b | Nr_b, g^xy)) and its remote-access variants: XAUTHInitRSA (65005,
 * both sides sign, then Xauth) and HybridInitRSA (64221, draft-ietf-ipsra-hybrid-auth: only the
 * gateway signs, the client sends HASH_I and proves itself with Xauth).
 */
final class SignatureAuth {
  private SignatureAuth() {}

  /** Methods whose SKEYID is the signature one. */
  static boolean signatureBased(int m) {
    return m == IkeAttr.RSA_SIG
        || m == IkeAttr.XAUTH_INIT_RSA
        || m == IkeAttr.XAUTH_RESP_RSA
        || m == IkeAttr.HYBRID_INIT_RSA
        || m == IkeAttr.HYBRID_RESP_RSA;
  }

  /** Hybrid: the initiator (client) authenticates phase 1 with HASH_I, not a signature. */
  static boolean initiatorSendsHash(int m) {
    return m == IkeAttr.HYBRID_INIT_RSA;
  }

  /** A CERTREQ for the initiator's certificate (we are the responder and want one). */
  static List<Payload> certRequest(IkeContext ctx, int method) {
    CertificateVerifier v = ctx.policy().certificateVerifier();
    if (!signatureBased(method) || initiatorSendsHash(method) || v == null) {
      return List.of();
    }
    List<Payload> out = new ArrayList<>();
    for (X509Certificate ca : v.anchors()) {
      out.add(
          new CertReqPayload(
              CertReqPayload.X509_SIGNATURE, ca.getSubjectX500Principal().getEncoded()));
    }
    return out;
  }

  /**
   * As initiator (a road warrior with hybrid or RSA + Xauth): a CERTREQ per CA we trust, so the
   * gateway sends its certificate; none when we offer no signature method or trust no CA.
   */
  static List<Payload> initiatorCertRequest(IkeContext ctx) {
    CertificateVerifier v = ctx.policy().certificateVerifier();
    boolean sig = ctx.policy().authMethods().stream().anyMatch(SignatureAuth::signatureBased);
    if (!sig || v == null) {
      return List.of();
    }
    List<Payload> out = new ArrayList<>();
    for (X509Certificate ca : v.anchors()) {
      out.add(
          new CertReqPayload(
              CertReqPayload.X509_SIGNATURE, ca.getSubjectX500Principal().getEncoded()));
    }
    return out;
  }

  /** Our CERT and SIG over {@code hash}. */
  static List<Payload> ours(IkeContext ctx, byte[] hash) {
    LocalCertificate local = ctx.policy().localCertificate();
    if (local == null) {
      throw new IkeProtocolException(
          NotifyType.AUTHENTICATION_FAILED, "no certificate of ours configured");
    }
    try {
      return List.of(
          new CertPayload(CertPayload.X509_SIGNATURE, local.certificate().getEncoded()),
          new SigPayload(local.signer().sign(hash)));
    } catch (CertificateEncodingException e) {
      throw new IkeProtocolException(NotifyType.AUTHENTICATION_FAILED, "our certificate: " + e);
    }
  }

  /**
   * The peer's CERT (end entity first, intermediates after) verified to our CAs at {@code now}, its
   * ID matched against the certificate, and its SIG over {@code hash} checked.
   */
  static X509Certificate verifyPeer(
      IkeContext ctx, InboundMessage in, IdPayload id, byte[] hash, Instant now) {
    CertificateVerifier verifier = ctx.policy().certificateVerifier();
    if (verifier == null) {
      throw failed("no CA configured to verify certificates");
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (CertPayload c : in.all(CertPayload.class)) {
      if (c.encoding() == CertPayload.X509_SIGNATURE) {
        certs.add(parse(c.data()));
      }
    }
    if (certs.isEmpty()) {
      throw failed("no certificate received");
    }
    X509Certificate leaf = certs.get(0);
    Verdict v = verifier.verify(leaf, certs.subList(1, certs.size()), now);
    if (!v.accepted()) {
      throw failed("certificate " + leaf.getSubjectX500Principal() + " refused: " + v);
    }
    var type = IkeIdType.of(id.idType().code());
    if (type.isEmpty() || !CertificateIdentity.matches(leaf, type.get(), id.data())) {
      throw failed("identity " + id.describe() + " is not in the certificate");
    }
    SigPayload sig =
        in.first(SigPayload.class).orElseThrow(() -> failed("no SIG payload received"));
    if (!SignatureVerifier.of(leaf).verify(hash, sig.data())) {
      throw failed("signature does not verify");
    }
    return leaf;
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IkeProtocolException(NotifyType.INVALID_CERTIFICATE, "unreadable certificate");
    }
  }

  private static IkeProtocolException failed(String why) {
    return new IkeProtocolException(NotifyType.AUTHENTICATION_FAILED, why);
  }
}
