package dev.coati.server.metrics;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.Authenticator;
import java.util.concurrent.CompletionStage;

/** Counts every verdict of the user backend by method (Xauth/PAP, CHAP-MD5, MS-CHAPv2). */
public record CountingAuthenticator(Authenticator inner, Metrics metrics) implements Authenticator {
  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    String method =
        switch (request) {
          case AuthRequest.Plain p -> "password";
          case AuthRequest.ChapMd5 c -> "chap";
          case AuthRequest.MsChapV2 m -> "mschapv2";
        };
    long t0 = System.nanoTime();
    return inner
        .authenticate(request)
        .whenComplete(
            (r, e) ->
                metrics.authenticated(
                    method, r != null && r.success(), (System.nanoTime() - t0) / 1e9));
  }
}
