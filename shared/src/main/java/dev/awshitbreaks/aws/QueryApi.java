package dev.awshitbreaks.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * One region's endpoint of an AWS Query-protocol API (a form body {@code Action=...&Version=...}, an XML answer),
 * called through {@link SignedJsonCall#send} where the brake needs a few read-only operations and the SDK module would
 * cost the Lambda artifact more than it gives: Elastic Load Balancing (v2 and classic) and ElastiCache. The answer is
 * parsed with the JDK's DOM parser, DTDs and external entities refused. Throttling, HTTP 5xx and I/O errors are retried
 * as {@link JsonApi} retries them ({@link RetrySettings}: attempts, full-jitter backoff, the call timeout); any other
 * error is thrown at once as a {@link Failure} with the service's {@code <Error><Code>} and {@code <Message>}.
 */
public final class QueryApi {
    private static final Set<String> THROTTLES = Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
            "RequestLimitExceeded", "RequestThrottled", "ServiceUnavailable", "SlowDown");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingName;
    private final String region;
    private final String version;
    private final RetrySettings retry;

    /** An error a Query API answered (or the endpoint, when it is not the service's), after the retries. */
    public static final class Failure extends JsonApi.Failure {
        public Failure(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /**
     * @param signingName the SigV4 signing name ({@code elasticloadbalancing}, {@code elasticache})
     * @param version     the API version every call names ({@code 2015-12-01} for ELB v2, {@code 2012-06-01} for the
     *                    classic one, {@code 2015-02-02} for ElastiCache)
     */
    QueryApi(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingName, String region,
            String version, RetrySettings retry) {
        this.http = http;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.signingName = signingName;
        this.region = region;
        this.version = version;
        this.retry = retry;
    }

    /** Calls one operation with these parameters (in this order, after Action and Version); the answer's XML. */
    public Document call(String action, Map<String, String> params) {
        byte[] body = form(action, params).getBytes(StandardCharsets.UTF_8);
        return Retries.run(retry, signingName, () -> {
            SignedJsonCall.Answer answer = SignedJsonCall.send(http, credentials, SdkHttpMethod.POST, endpoint.resolve("/"),
                    signingName, region, Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body);
            if (answer.status() == 200) {
                return Retries.Attempt.done(parse(answer.body()));
            }
            Failure f = failure(answer);
            return Retries.Attempt.failed(f, answer.status(), answer.status() == 429 || THROTTLES.contains(f.code()));
        }, e -> new Failure(0, e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
    }

    /** The service's {@code <Error><Code>} and {@code <Message>} (ErrorResponse, or EC2's Response/Errors), else the body. */
    private static Failure failure(SignedJsonCall.Answer answer) {
        try {
            Document d = builder().parse(new ByteArrayInputStream(answer.body().getBytes(StandardCharsets.UTF_8)));
            org.w3c.dom.NodeList errors = d.getElementsByTagNameNS("*", "Error");
            if (errors.getLength() > 0) {
                Element e = (Element) errors.item(0);
                String code = text(e, "Code");
                String message = text(e, "Message");
                return new Failure(answer.status(), code, message == null ? "" : message);
            }
        } catch (SAXException | IOException | RuntimeException notXml) {
            // the status and the body say enough
        }
        String body = answer.body() == null ? "" : answer.body().strip();
        return new Failure(answer.status(), "", body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }

    /** {@code Action=...&Version=...&k=v...}, form-encoded. */
    String form(String action, Map<String, String> params) {
        StringBuilder sb = new StringBuilder("Action=").append(encode(action)).append("&Version=").append(encode(version));
        params.forEach((k, v) -> sb.append('&').append(encode(k)).append('=').append(encode(v)));
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The element children of {@code parent} named {@code name} (the XML answer's own names, no namespace). */
    public static List<Element> children(Node parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element of {@code parent} named {@code name}, or null. */
    public static Element child(Node parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    /** The text of the child element at this path of names ({@code "State", "Code"}), trimmed; null when absent or empty. */
    public static String text(Node parent, String... path) {
        Node n = parent;
        for (String name : path) {
            n = child(n, name);
            if (n == null) {
                return null;
            }
        }
        String t = n.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    /**
     * The answer's result element ({@code <ActionResponse><ActionResult>}): where the operation's output is, as the
     * Query protocol wraps it.
     */
    public static Element result(Document answer, String action) {
        Element r = child(answer.getDocumentElement(), action + "Result");
        if (r == null) {
            throw new Failure(200, "", "the answer to " + action + " has no " + action + "Result element");
        }
        return r;
    }

    private static String localName(Element e) {
        String n = e.getLocalName() == null ? e.getTagName() : e.getLocalName();
        int colon = n.indexOf(':');
        return colon < 0 ? n : n.substring(colon + 1);
    }

    static Document parse(String xml) {
        try {
            return builder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (SAXException | IOException e) {
            throw new Failure(200, "", "the answer is not XML: " + e.getMessage());
        }
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured: " + e.getMessage(), e);
        }
    }
}
