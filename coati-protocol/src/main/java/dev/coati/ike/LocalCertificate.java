package dev.coati.ike;

import dev.coati.crypto.pki.Signer;
import java.security.cert.X509Certificate;

/**
 * Our certificate and the signer of its private key, for RSA-signature and hybrid phase 1 (RFC 2409
 * section 5.1). Only the end-entity certificate is sent (Apple's clients want no chain).
 */
public record LocalCertificate(X509Certificate certificate, Signer signer) {}
