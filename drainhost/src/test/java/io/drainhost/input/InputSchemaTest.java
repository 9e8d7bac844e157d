package io.drainhost.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();

  enum Speed {
    @JsonProperty("slow")
    SLOW,
    FAST
  }

  record Order(
      @NotBlank String name,
      @NotNull @Min(1) @Max(10) Integer count,
      int priority,
      Speed speed,
      @Size(max = 3) @NotEmpty List<@NotBlank String> tags,
      @Pattern(regexp = "[a-z]+", message = "must be lower-case letters") String code,
      Map<String, Long> extras) {}

  record Mail(@Email String to) {}

  record Measures(@Min(0) @Max(1) Double ratio, @Max(10) java.math.BigInteger big) {}

  record Strict(@jakarta.validation.constraints.Positive double rate) {}

  record Wide(@Min(5) @Max(7) Long n, @Size(min = 2, max = 4) String s) {}

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  static List<String> problems(Class<?> type, String value) throws Exception {
    return SchemaCheck.problems(InputSchema.of(type), json(value), "input");
  }

  @Test
  void aRecordIsAnObjectWithExactlyItsComponentsAndItsConstraints() throws Exception {
    assertEquals(
        json(
            """
            {"type":"object","additionalProperties":false,
             "properties":{
               "name":{"type":"string","pattern":"[^\\\\u0020\\\\u0009\\\\u000A\\\\u000B\\\\u000C\\\\u000D]"},
               "count":{"type":"integer","minimum":1,"maximum":10},
               "priority":{"type":"integer","minimum":-2147483648,"maximum":2147483647},
               "speed":{"type":"string","enum":["slow","FAST"],"nullable":true},
               "tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3},
               "code":{"type":"string","description":"must be lower-case letters",
                       "pattern":"^(?:[a-z]+)$","nullable":true},
               "extras":{"type":"object","additionalProperties":
                   {"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807},
                 "nullable":true}},
             "required":["name","count","priority","tags"]}
            """),
        json(InputSchema.of(Order.class).toString()));
  }

  @Test
  void aValidInputHasNoProblems() throws Exception {
    assertEquals(
        List.of(),
        problems(
            Order.class,
            "{\"name\":\"Ada\",\"count\":3,\"priority\":0,\"speed\":\"slow\",\"tags\":[\"a\"],"
                + "\"code\":null,\"extras\":{\"x\":5}}"));
  }

  @Test
  void eachBrokenRuleIsNamedWithItsPath() throws Exception {
    assertEquals(
        List.of(
            "input.count is required",
            "input.priority is required",
            "input.name must not be blank",
            "input.speed must be one of slow, FAST",
            "input.tags must have at least 1 items",
            "input.code must be lower-case letters",
            "input.extras.x must be a whole number from -9223372036854775808 to"
                + " 9223372036854775807",
            "unknown field 'input.colour'"),
        problems(
            Order.class,
            "{\"name\":\" \\t\",\"speed\":\"SLOW\",\"tags\":[],\"code\":\"A\","
                + "\"extras\":{\"x\":\"5\"},\"colour\":\"red\"}"));
  }

  @Test
  void aWholeNumberIsAnIntegralJsonNumberInRangeNeverAFractionOrAString() throws Exception {
    String base = "{\"name\":\"n\",\"priority\":1,\"tags\":[\"t\"],\"count\":";
    assertEquals(List.of(), problems(Order.class, base + "10}"));
    for (String count : List.of("11", "0", "5.0", "5.5", "\"5\"", "1e1", "99999999999999999999")) {
      assertEquals(
          List.of("input.count must be a whole number from 1 to 10"),
          problems(Order.class, base + count + "}"),
          count);
    }
    assertEquals(List.of("input.count must not be null"), problems(Order.class, base + "null}"));
  }

  @Test
  void blankMeansOnlyAsciiWhitespaceTheSameInJavaAndInTheFuzzersPython() throws Exception {
    String tail = ",\"count\":1,\"priority\":1,\"tags\":[\"t\"]}";
    assertEquals(List.of(), problems(Order.class, "{\"name\":\"\\u00a0\"" + tail));
    assertEquals(
        List.of("input.name must not be blank"),
        problems(Order.class, "{\"name\":\"\\r\\n\\u000b\"" + tail));
    assertEquals(
        List.of("input.name must not be blank"), problems(Order.class, "{\"name\":\"\"" + tail));
  }

  @Test
  void lengthsCountCharactersNotUtf16Units() throws Exception {
    assertEquals(
        List.of(),
        problems(Wide.class, "{\"s\":\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"}"));
    assertEquals(
        List.of(
            "input.s must have at most 4 characters", "input.n must be a whole number from 5 to 7"),
        problems(Wide.class, "{\"s\":\"abcde\",\"n\":8}"));
  }

  @Test
  void aPatternsEndIsTheEndOrAFinalNewlineNotAnyLineTerminator() throws Exception {
    String tail = ",\"name\":\"n\",\"count\":1,\"priority\":1,\"tags\":[\"t\"]}";
    assertEquals(List.of(), problems(Order.class, "{\"code\":\"abc\\n\"" + tail));
    for (String code : List.of("abc\\u2028", "abc\\r\\n", "abc\\u0085", "abc\\n\\n")) {
      assertEquals(
          List.of("input.code must be lower-case letters"),
          problems(Order.class, "{\"code\":\"" + code + "\"" + tail),
          code);
    }
  }

  @Test
  void aConstraintTheSchemaCannotStateStopsTheHostInsteadOfBeingIgnored() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InputSchema.of(Mail.class));
    assertTrue(e.getMessage().startsWith("@Email on input.to cannot be described"), e.getMessage());
  }

  @Test
  void boundsOnNumbersAreKeptAndOnlyTheGivenOnesAreAdded() throws Exception {
    assertEquals(
        json(
            "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
                + "\"ratio\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1,\"nullable\":true},"
                + "\"big\":{\"type\":\"integer\",\"maximum\":10,\"nullable\":true}}}"),
        json(InputSchema.of(Measures.class).toString()));
    assertEquals(
        List.of("input.ratio must be a number from 0 to 1"),
        problems(Measures.class, "{\"ratio\":1.5,\"big\":-99999999999999999999}"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InputSchema.of(Strict.class));
    assertEquals("@Positive apply to whole numbers, not to input.rate", e.getMessage());
  }

  @Test
  void typesItCannotDescribeTakeAnyValue() throws Exception {
    assertEquals(json("{}"), InputSchema.of(Object.class));
    assertEquals(json("{}"), InputSchema.of(JsonNode.class));
  }
}
