/**
 * X.509 for IKEv1 signature authentication (RFC 2409 §5.1, RFC 4945): PEM loading, chain
 * verification against a CA bundle and CRL, matching IKE identities against certificates, the IKEv1
 * RSA and ECDSA signature primitives, and issuing the certificates {@code coati pki} makes. Built
 * on Bouncy Castle's ASN.1 and PKIX classes with the JDK's providers; no clock reads (every check
 * takes the instant).
 */
package dev.coati.crypto.pki;
