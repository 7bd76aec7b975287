package org.rankcoding.examples;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bill of materials (rankcoding-bom, which has no parent) stays in step with the build: its version is the
 * project's, and it manages exactly the published modules (every module of the parent but the BOM itself and those
 * with maven.deploy.skip), each at the project's version.
 */
class BomTest {

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String text(Element e, String name) {
        Element c = child(e, name);
        return c == null ? null : c.getTextContent().trim();
    }

    @Test
    void theBomManagesEveryPublishedModuleAtTheProjectsVersion() throws Exception {
        Path root = Path.of("..");
        Element parent = read(root.resolve("pom.xml")).getDocumentElement();
        String version = text(parent, "version");
        Element bom = read(root.resolve("rankcoding-bom/pom.xml")).getDocumentElement();
        assertEquals(version, text(bom, "version"), "rankcoding-bom's version");

        TreeSet<String> published = new TreeSet<>();
        NodeList modules = child(parent, "modules").getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String m = modules.item(i).getTextContent().trim();
            Element pom = read(root.resolve(m).resolve("pom.xml")).getDocumentElement();
            Element props = child(pom, "properties");
            boolean skipped = props != null && "true".equals(text(props, "maven.deploy.skip"));
            if (!m.equals("rankcoding-bom") && !skipped) {
                published.add(m);
            }
        }
        TreeSet<String> managed = new TreeSet<>();
        List<String> versions = new ArrayList<>();
        NodeList deps = child(child(bom, "dependencyManagement"), "dependencies").getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            managed.add(text(d, "artifactId"));
            versions.add(text(d, "version"));
        }
        assertEquals(published, managed, "the modules rankcoding-bom manages");
        versions.forEach(v -> assertEquals(version, v, "a version in rankcoding-bom"));
    }
}
