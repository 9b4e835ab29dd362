package dev.coati.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Prints the body of one HTTP GET (5 s timeout): run in a namespace with {@code ip netns exec}. */
public final class HttpGet {
  private HttpGet() {}

  public static void main(String[] args) throws Exception {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      System.err.println("HTTP " + r.statusCode());
      System.exit(1);
    }
    System.out.print(r.body());
  }
}
