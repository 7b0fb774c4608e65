package io.currents.source.bucket;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.net.ssl.SSLContext;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * MinIO's {@code AssumeRoleWithLDAPIdentity}: the LDAP username and password of {@code spec.sts.secretRef} exchanged
 * at {@code spec.sts.endpoint} for temporary S3 credentials, as Flux's {@code ldap} STS provider does.
 */
public final class LdapSts {

    private static final int MAX_RESPONSE = 64 * 1024;

    private LdapSts() {
    }

    public static BucketAccess.Credentials assumeRole(URI endpoint, String username, String password, SSLContext ssl, Duration timeout)
            throws BucketException {
        String form = "Action=AssumeRoleWithLDAPIdentity&Version=2011-06-15"
                + "&LDAPUsername=" + URLEncoder.encode(username == null ? "" : username, StandardCharsets.UTF_8)
                + "&LDAPPassword=" + URLEncoder.encode(password == null ? "" : password, StandardCharsets.UTF_8);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        HttpResponse<byte[]> response;
        try (HttpClient http = builder.build()) {
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BucketException("failed to get credentials from the LDAP STS endpoint: interrupted");
        } catch (Exception e) {
            throw new BucketException("failed to get credentials from the LDAP STS endpoint '" + endpoint + "': " + S3ObjectStore.describe(e), e);
        }
        byte[] body = response.body();
        if (body.length > MAX_RESPONSE) {
            throw new BucketException("response of the LDAP STS endpoint is too large");
        }
        if (response.statusCode() != 200) {
            throw new BucketException("LDAP STS endpoint '" + endpoint + "' refused the credentials: HTTP " + response.statusCode()
                    + errorMessage(body));
        }
        try {
            Document xml = parse(body);
            String accessKey = text(xml, "AccessKeyId");
            String secretKey = text(xml, "SecretAccessKey");
            String token = text(xml, "SessionToken");
            if (accessKey == null || secretKey == null) {
                throw new BucketException("LDAP STS endpoint '" + endpoint + "' answered without credentials");
            }
            return new BucketAccess.Credentials(accessKey, secretKey, token);
        } catch (BucketException e) {
            throw e;
        } catch (Exception e) {
            throw new BucketException("LDAP STS endpoint '" + endpoint + "' answered with invalid XML");
        }
    }

    private static String errorMessage(byte[] body) {
        try {
            String message = text(parse(body), "Message");
            return message == null ? "" : ": " + message;
        } catch (Exception e) {
            return "";
        }
    }

    private static Document parse(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // the endpoint is the tenant's: no DTDs, no external entities
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    private static String text(Document xml, String localName) {
        NodeList nodes = xml.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }
}
