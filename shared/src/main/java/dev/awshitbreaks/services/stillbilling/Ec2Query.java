package dev.awshitbreaks.services.stillbilling;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.JsonApi;
import dev.awshitbreaks.aws.Retries;
import dev.awshitbreaks.aws.RetrySettings;
import dev.awshitbreaks.aws.SignedJsonCall;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * EC2's Query API in one region, read only, for the listings of what still bills (DescribeVolumes, DescribeAddresses,
 * DescribeNetworkInterfaces, DescribeVpcEndpoints), signed by hand: through the SDK's Ec2Client each of them would keep
 * its model shapes (a network interface's alone are some thirty classes) in the Lambda artifact, which has no room for
 * them. A form body {@code Action=...&Version=2016-11-15&...}, an XML answer read with the JDK's DOM. Throttling
 * (RequestLimitExceeded), HTTP 5xx and I/O errors are retried as {@link JsonApi} retries them; any other error is thrown
 * at once as a {@link JsonApi.Failure} with EC2's error code and message.
 */
final class Ec2Query {
    static final String VERSION = "2016-11-15";
    private static final Set<String> THROTTLES = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "ServiceUnavailable", "Unavailable", "InternalError");

    private final AwsClients clients;
    private final String region;
    private final URI endpoint;
    private final RetrySettings retry;

    Ec2Query(AwsClients clients, String region) {
        this.clients = clients;
        this.region = region;
        this.endpoint = clients.settings().endpoint().orElse(URI.create("https://ec2." + region + ".amazonaws.com"));
        this.retry = clients.settings().retry();
    }

    /**
     * Every page of {@code action}: each item of the answer's {@code set} element to {@code each}, then the next page by
     * its {@code nextToken}, until there is none. {@code params} go in every call (filters, MaxResults).
     */
    void pages(String action, Map<String, String> params, String set, Consumer<Element> each) {
        String token = null;
        do {
            Map<String, String> p = new LinkedHashMap<>(params);
            if (token != null) {
                p.put("NextToken", token);
            }
            Element answer = call(action, p);
            for (Element item : children(child(answer, set), "item")) {
                each.accept(item);
            }
            token = text(answer, "nextToken");
        } while (token != null && !token.isEmpty());
    }

    /** One call; the answer's root element. */
    Element call(String action, Map<String, String> params) {
        StringBuilder form = new StringBuilder("Action=").append(action).append("&Version=").append(VERSION);
        params.forEach((k, v) -> form.append('&').append(encode(k)).append('=').append(encode(v)));
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        return Retries.run(retry, "EC2", () -> {
            SignedJsonCall.Answer answer = SignedJsonCall.send(clients.httpClient(), clients.credentialsProvider(),
                    SdkHttpMethod.POST, endpoint.resolve("/"), "ec2", region,
                    Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body);
            if (answer.status() == 200) {
                return Retries.Attempt.done(parse(answer.body()));
            }
            JsonApi.Failure f = failure(answer);
            return Retries.Attempt.failed(f, answer.status(), answer.status() == 503 || THROTTLES.contains(f.code()));
        }, Retries::ioFailure);
    }

    private static JsonApi.Failure failure(SignedJsonCall.Answer answer) {
        try {
            Element root = parse(answer.body());
            Element error = child(child(root, "Errors"), "Error");
            if (error != null) {
                return new JsonApi.Failure(answer.status(), text(error, "Code"), text(error, "Message"));
            }
        } catch (RuntimeException notXml) {
            // the status says enough
        }
        return new JsonApi.Failure(answer.status(), "", answer.body());
    }

    static Element parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new JsonApi.Failure(200, "MalformedAnswer", "EC2's answer is not XML: " + e.getMessage());
        }
    }

    /** The first child element of that name; null when there is none (or {@code parent} is null). */
    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every child element of that name, in order (none when {@code parent} is null). */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text of the child element of that name; null when it is absent or empty. */
    static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    /** The {@code Name} tag of a {@code tagSet}; null when there is none. */
    static String nameTag(Element item) {
        for (Element tag : children(child(item, "tagSet"), "item")) {
            if ("Name".equals(text(tag, "key"))) {
                return text(tag, "value");
            }
        }
        return null;
    }

    /** An EC2 filter's parameters ({@code Filter.n.Name}, {@code Filter.n.Value.m}) added to {@code params}. */
    static Map<String, String> filter(Map<String, String> params, int n, String name, String... values) {
        params.put("Filter." + n + ".Name", name);
        for (int i = 0; i < values.length; i++) {
            params.put("Filter." + n + ".Value." + (i + 1), values[i]);
        }
        return params;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

}
