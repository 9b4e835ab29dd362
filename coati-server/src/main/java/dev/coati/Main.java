package dev.coati;

/** Entry point: wiring only. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("coati: starting");
  }
}
