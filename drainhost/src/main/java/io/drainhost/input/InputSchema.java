package io.drainhost.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema of a workflow parameter, derived from its Java type: records become objects with
 * exactly their components, numbers keep their Java range, enums list their JSON names, and the
 * Jakarta constraints on record components ({@code @NotNull}, {@code @NotBlank}, {@code @NotEmpty},
 * {@code @Size}, {@code @Min}, {@code @Max}, {@code @Positive}, {@code @PositiveOrZero},
 * {@code @Pattern}) narrow them. The same schema is published in {@code /openapi.json} and checked
 * by {@link SchemaCheck} before an input is converted, so a request the description calls valid is
 * one the host accepts, and the other way round.
 *
 * <p>Only the keywords {@link SchemaCheck} checks are written. Types it cannot describe (plain
 * classes, {@code Object}, {@code JsonNode}) get the empty schema: any value, converted by Jackson.
 */
public final class InputSchema {
  /**
   * A character that is not ASCII whitespace, spelled out: {@code \s} means different sets in Java
   * and in the fuzzers' Python, and a blank-check must mean the same on both sides.
   */
  public static final String NOT_BLANK = "[^\\u0020\\u0009\\u000A\\u000B\\u000C\\u000D]";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper NAMES = new ObjectMapper();
  private static final Set<String> SUPPORTED =
      Set.of(
          "NotNull",
          "NotBlank",
          "NotEmpty",
          "Size",
          "Min",
          "Max",
          "Positive",
          "PositiveOrZero",
          "Pattern");

  private InputSchema() {}

  /**
   * The schema of a value of {@code type}. Throws {@link IllegalArgumentException} naming a
   * constraint it cannot express (such as {@code @Email}), so a host refuses to start rather than
   * describe its input wrongly.
   */
  public static ObjectNode of(Type type) {
    return schema(type, null, "input", new ArrayDeque<>());
  }

  private static ObjectNode schema(
      Type type, AnnotatedElement constraints, String where, Deque<Type> enclosing) {
    Class<?> raw = raw(type);
    ObjectNode s = NODES.objectNode();
    if (raw == String.class || raw == CharSequence.class) {
      s.put("type", "string");
    } else if (raw == int.class || raw == Integer.class) {
      integer(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
    } else if (raw == long.class || raw == Long.class) {
      integer(s, Long.MIN_VALUE, Long.MAX_VALUE);
    } else if (raw == short.class || raw == Short.class) {
      integer(s, Short.MIN_VALUE, Short.MAX_VALUE);
    } else if (raw == byte.class || raw == Byte.class) {
      integer(s, Byte.MIN_VALUE, Byte.MAX_VALUE);
    } else if (raw == BigInteger.class) {
      s.put("type", "integer");
    } else if (raw == double.class
        || raw == Double.class
        || raw == float.class
        || raw == Float.class
        || raw == BigDecimal.class) {
      s.put("type", "number");
    } else if (raw == boolean.class || raw == Boolean.class) {
      s.put("type", "boolean");
    } else if (raw.isEnum()) {
      s.put("type", "string");
      ArrayNode names = s.putArray("enum");
      for (Object constant : raw.getEnumConstants()) {
        names.add(NAMES.valueToTree(constant).asText());
      }
    } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
      s.put("type", "array");
      s.set("items", schema(elementType(type), null, where + "[]", enclosing));
    } else if (Map.class.isAssignableFrom(raw) && typeArgument(type, 0) == String.class) {
      s.put("type", "object");
      s.set("additionalProperties", schema(typeArgument(type, 1), null, where + ".*", enclosing));
    } else if (raw.isRecord() && !enclosing.contains(type)) {
      enclosing.push(type);
      record(s, raw, where, enclosing);
      enclosing.pop();
    }
    if (constraints != null) {
      constrain(s, constraints, where);
    }
    return s;
  }

  private static void record(ObjectNode s, Class<?> raw, String where, Deque<Type> enclosing) {
    s.put("type", "object");
    s.put("additionalProperties", false);
    ObjectNode properties = s.putObject("properties");
    ArrayNode required = NODES.arrayNode();
    for (RecordComponent c : raw.getRecordComponents()) {
      AnnotatedElement annotations = field(raw, c);
      String path = where + "." + c.getName();
      ObjectNode property = schema(c.getGenericType(), annotations, path, enclosing);
      if (c.getType().isPrimitive() || requires(annotations)) {
        required.add(c.getName());
      } else {
        property.put("nullable", true);
      }
      properties.set(c.getName(), property);
    }
    if (!required.isEmpty()) {
      s.set("required", required);
    }
  }

  /** Record-component annotations with a FIELD target land on the field. */
  private static AnnotatedElement field(Class<?> raw, RecordComponent c) {
    try {
      return raw.getDeclaredField(c.getName());
    } catch (NoSuchFieldException e) {
      return c;
    }
  }

  private static boolean requires(AnnotatedElement e) {
    return e.isAnnotationPresent(NotNull.class)
        || e.isAnnotationPresent(NotBlank.class)
        || e.isAnnotationPresent(NotEmpty.class);
  }

  private static void constrain(ObjectNode s, AnnotatedElement e, String where) {
    for (Annotation a : e.getAnnotations()) {
      String pkg = a.annotationType().getPackageName();
      String name = a.annotationType().getSimpleName();
      if (pkg.equals("jakarta.validation.constraints") && !SUPPORTED.contains(name)) {
        throw new IllegalArgumentException(
            "@"
                + name
                + " on "
                + where
                + " cannot be described in the API's input schema; supported: @"
                + String.join(", @", SUPPORTED.stream().sorted().toList()));
      }
    }
    String type = s.path("type").asText();
    boolean string = type.equals("string") && !s.has("enum");
    Min min = e.getAnnotation(Min.class);
    Max max = e.getAnnotation(Max.class);
    boolean positive = e.isAnnotationPresent(Positive.class);
    boolean positiveOrZero = e.isAnnotationPresent(PositiveOrZero.class);
    if (min != null || max != null || positive || positiveOrZero) {
      require(
          type.equals("integer") || type.equals("number"),
          where,
          "@Min, @Max and @PositiveOrZero",
          "numbers");
      // "greater than 0" needs an exclusive bound, which the checked keywords do not include.
      require(!positive || type.equals("integer"), where, "@Positive", "whole numbers");
      List<Long> lows = new java.util.ArrayList<>();
      if (s.has("minimum")) {
        lows.add(s.get("minimum").asLong());
      }
      if (min != null) {
        lows.add(min.value());
      }
      if (positive) {
        lows.add(1L);
      }
      if (positiveOrZero) {
        lows.add(0L);
      }
      lows.stream().max(Long::compare).ifPresent(low -> s.put("minimum", low));
      List<Long> highs = new java.util.ArrayList<>();
      if (s.has("maximum")) {
        highs.add(s.get("maximum").asLong());
      }
      if (max != null) {
        highs.add(max.value());
      }
      highs.stream().min(Long::compare).ifPresent(high -> s.put("maximum", high));
    }
    Size size = e.getAnnotation(Size.class);
    boolean notEmpty = e.isAnnotationPresent(NotEmpty.class);
    if (size != null || notEmpty) {
      require(string || type.equals("array"), where, "@Size and @NotEmpty", "strings and lists");
      int low = Math.max(size == null ? 0 : size.min(), notEmpty ? 1 : 0);
      String prefix = string ? "Length" : "Items";
      if (low > 0) {
        s.put("min" + prefix, low);
      }
      if (size != null && size.max() != Integer.MAX_VALUE) {
        s.put("max" + prefix, size.max());
      }
    }
    Pattern pattern = e.getAnnotation(Pattern.class);
    boolean notBlank = e.isAnnotationPresent(NotBlank.class);
    if (pattern != null || notBlank) {
      require(string, where, "@Pattern and @NotBlank", "strings");
      if (pattern != null && pattern.flags().length > 0) {
        throw new IllegalArgumentException(
            "@Pattern flags on " + where + " cannot be described in the API's input schema");
      }
      // Jakarta matches the whole string, JSON Schema searches: anchor it.
      List<String> patterns =
          pattern == null
              ? List.of(NOT_BLANK)
              : notBlank
                  ? List.of("^(?:" + pattern.regexp() + ")$", NOT_BLANK)
                  : List.of("^(?:" + pattern.regexp() + ")$");
      try {
        patterns.forEach(SchemaCheck::compile);
      } catch (com.google.re2j.PatternSyntaxException x) {
        throw new IllegalArgumentException(
            "@Pattern on "
                + where
                + ": "
                + x.getDescription()
                + " (patterns run on RE2, in linear time: no look-arounds or back-references)");
      }
      if (pattern != null && !pattern.message().startsWith("{")) {
        s.put("description", pattern.message());
      }
      if (patterns.size() == 1) {
        s.put("pattern", patterns.get(0));
      } else {
        ArrayNode all = s.putArray("allOf");
        patterns.forEach(p -> all.addObject().put("pattern", p));
      }
    }
  }

  private static void require(boolean ok, String where, String what, String applies) {
    if (!ok) {
      throw new IllegalArgumentException(what + " apply to " + applies + ", not to " + where);
    }
  }

  private static void integer(ObjectNode s, long min, long max) {
    s.put("type", "integer");
    s.put("minimum", min);
    s.put("maximum", max);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof GenericArrayType) {
      return Object[].class;
    }
    return Object.class;
  }

  private static Type elementType(Type type) {
    if (type instanceof Class<?> c && c.isArray()) {
      return c.getComponentType();
    }
    if (type instanceof GenericArrayType g) {
      return g.getGenericComponentType();
    }
    return typeArgument(type, 0);
  }

  private static Type typeArgument(Type type, int i) {
    return type instanceof ParameterizedType p && p.getActualTypeArguments().length > i
        ? p.getActualTypeArguments()[i]
        : Object.class;
  }
}
