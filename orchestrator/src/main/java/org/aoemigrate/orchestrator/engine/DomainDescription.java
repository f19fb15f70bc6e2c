package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What preflight needs from a libvirt domain XML: memory, disks, interfaces and the CPU
 * definition to compare against the destination.
 *
 * @param type   the domain type: kvm, or qemu (TCG), as libvirt's hypervisor CPU comparison wants it
 * @param cpuXml the {@code <cpu>} element as text, empty when the domain has none or it names no
 *               model (nothing for libvirt to compare)
 */
public record DomainDescription(String name, String type, long memoryBytes, List<GuestDisk> disks, List<GuestInterface> interfaces,
        Optional<String> cpuXml) {

    public DomainDescription {
        disks = List.copyOf(disks);
        interfaces = List.copyOf(interfaces);
    }

    /** Parses a domain XML; IllegalArgumentException if it is not one. */
    public static DomainDescription parse(String xml) {
        Document doc = read(xml);
        Element domain = doc.getDocumentElement();
        if (!"domain".equals(domain.getTagName())) {
            throw new IllegalArgumentException("not a libvirt domain XML: the root element is <" + domain.getTagName() + ">");
        }
        String name = text(child(domain, "name"));
        long memory = memoryBytes(child(domain, "memory"));
        List<GuestDisk> disks = new ArrayList<>();
        List<GuestInterface> interfaces = new ArrayList<>();
        Element devices = child(domain, "devices");
        if (devices != null) {
            for (Element d : children(devices, "disk")) {
                Element source = child(d, "source");
                Element driver = child(d, "driver");
                Element target = child(d, "target");
                disks.add(new GuestDisk(d.getAttribute("type"), d.getAttribute("device").isEmpty() ? "disk"
                        : d.getAttribute("device"), source == null ? "" : firstOf(source, "dev", "file", "name", "volume"),
                        driver == null ? "" : driver.getAttribute("cache"), target == null ? "" : target.getAttribute("dev")));
            }
            for (Element i : children(devices, "interface")) {
                Element source = child(i, "source");
                String type = i.getAttribute("type");
                interfaces.add(new GuestInterface(type, source == null ? "" : source.getAttribute(type)));
            }
        }
        Element cpu = child(domain, "cpu");
        Optional<String> cpuXml = cpu != null && child(cpu, "model") != null ? Optional.of(serialize(cpu)) : Optional.empty();
        return new DomainDescription(name, domain.getAttribute("type"), memory, disks, interfaces, cpuXml);
    }

    private static Document read(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // a domain XML has no DTD; refusing one keeps entity tricks out
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setNamespaceAware(false);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not a libvirt domain XML: " + e.getMessage(), e);
        }
    }

    /** libvirt writes {@code <memory unit='KiB'>}; the unit defaults to KiB. */
    private static long memoryBytes(Element memory) {
        if (memory == null) {
            return 0;
        }
        long value = Long.parseLong(text(memory));
        String unit = memory.getAttribute("unit").toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "b", "bytes" -> value;
            case "", "k", "kib" -> value << 10;
            case "kb" -> value * 1000;
            case "m", "mib" -> value << 20;
            case "mb" -> value * 1000_000;
            case "g", "gib" -> value << 30;
            case "gb" -> value * 1000_000_000;
            case "t", "tib" -> value << 40;
            case "tb" -> value * 1000_000_000_000L;
            default -> throw new IllegalArgumentException("memory unit '" + unit + "' is not one libvirt writes");
        };
    }

    private static String firstOf(Element e, String... attributes) {
        for (String a : attributes) {
            if (!e.getAttribute(a).isEmpty()) {
                return e.getAttribute(a);
            }
        }
        return "";
    }

    private static Element child(Element parent, String tag) {
        List<Element> l = children(parent, tag);
        return l.isEmpty() ? null : l.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e == null ? "" : e.getTextContent().strip();
    }

    private static String serialize(Element e) {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(out));
            return out.toString();
        } catch (TransformerException x) {
            throw new IllegalStateException("cannot write back the <cpu> element", x);
        }
    }
}
