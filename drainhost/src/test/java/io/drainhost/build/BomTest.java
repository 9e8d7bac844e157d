package io.drainhost.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * drainhost-bom pins what a service that depends on drainhost resolves. It has no parent (so that
 * it pins nothing of this build's own), which means its versions are written twice: this test keeps
 * them equal to the parent POM's properties and to what Maven resolved for the library itself (the
 * jars on this module's classpath), so a service importing the BOM runs what drainhost is tested
 * with.
 */
class BomTest {
  private static final Path BOM = Path.of("..", "drainhost-bom", "pom.xml");
  private static final Path PARENT = Path.of("..", "pom.xml");

  /** For an imported BOM, one artifact it pins that the library has on its classpath. */
  private static final Map<String, String> IMPORTED_BY =
      Map.of(
          "jackson-bom", "jackson-databind",
          "micrometer-bom", "micrometer-core",
          "grpc-bom", "grpc-api",
          "protobuf-bom", "protobuf-java");

  @Test
  void theBomsVersionsAreTheParentPomsWhereBothNameOne() throws Exception {
    Map<String, String> bom = properties(read(BOM));
    Map<String, String> parent = properties(read(PARENT));
    List<String> differ = new ArrayList<>();
    bom.forEach(
        (name, version) -> {
          if (parent.containsKey(name) && !parent.get(name).equals(version)) {
            differ.add(name + ": bom " + version + ", parent " + parent.get(name));
          }
        });
    assertEquals(List.of(), differ);
  }

  @Test
  void everyVersionTheBomPinsIsTheOneTheLibraryResolved() throws Exception {
    Document bom = read(BOM);
    Map<String, String> props = properties(bom);
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      jars.add(Path.of(entry).getFileName().toString());
    }
    List<String> differ = new ArrayList<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      String artifact = text(d, "artifactId");
      String version = resolve(text(d, "version"), props);
      if (text(d, "groupId").equals("io.drainhost")) {
        continue; // this build's own modules
      }
      String onClasspath = IMPORTED_BY.getOrDefault(artifact, artifact);
      String jar = onClasspath + "-" + version + ".jar";
      if (!jars.contains(jar)) {
        differ.add(
            artifact
                + " "
                + version
                + ": the library resolved "
                + jars.stream().filter(j -> j.startsWith(onClasspath + "-")).toList());
      }
    }
    assertEquals(List.of(), differ);
  }

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static Map<String, String> properties(Document pom) {
    Map<String, String> out = new LinkedHashMap<>();
    NodeList list = pom.getDocumentElement().getElementsByTagName("properties");
    // The project's own <properties>, not a profile's.
    for (int i = 0; i < list.getLength(); i++) {
      Element p = (Element) list.item(i);
      if (p.getParentNode() == pom.getDocumentElement()) {
        NodeList children = p.getChildNodes();
        for (int c = 0; c < children.getLength(); c++) {
          if (children.item(c) instanceof Element e) {
            out.put(e.getTagName(), e.getTextContent().trim());
          }
        }
      }
    }
    return out;
  }

  private static String text(Element e, String tag) {
    NodeList l = e.getElementsByTagName(tag);
    return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
  }

  private static String resolve(String version, Map<String, String> props) {
    if (version.startsWith("${") && version.endsWith("}")) {
      String v = props.get(version.substring(2, version.length() - 1));
      if (v == null) {
        throw new AssertionError("no property for " + version);
      }
      return v;
    }
    return version;
  }
}
