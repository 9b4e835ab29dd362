package dev.coati.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void scalars() {
    assertEquals("null", Json.write(null));
    assertEquals("true", Json.write(true));
    assertEquals("42", Json.write(42));
    assertEquals("-7", Json.write(-7L));
    assertEquals("1.5", Json.write(1.5));
    assertEquals("null", Json.write(Double.NaN));
  }

  @Test
  void stringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\"", Json.write("a\"b\\c\n\t\u0001"));
    assertEquals("\"\\u2028é\"", Json.write("\u2028é"));
  }

  @Test
  void nestedMapsAndListsKeepOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", Arrays.asList("x", null));
    m.put("m", Map.of());
    assertEquals("{\"z\":1,\"a\":[\"x\",null],\"m\":{}}", Json.write(m));
    assertEquals("[]", Json.write(List.of()));
    assertEquals("[{}]", Json.write(List.of(Map.of())));
  }
}
