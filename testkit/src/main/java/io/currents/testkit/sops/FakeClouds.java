package io.currents.testkit.sops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.currents.testkit.TokenWebhook;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * AWS, Google Cloud and Azure as far as cloud identity and managed clusters go, on loopback, answering exactly the
 * documented requests and checking them: STS ({@code AssumeRoleWithWebIdentity}; {@code GetCallerIdentity} URLs
 * presigned for EKS, whose SigV4 signature over {@code x-k8s-aws-id} it recomputes), EKS {@code DescribeCluster}
 * (SigV4-signed), Google's STS token exchange, IAM Credentials {@code generateAccessToken} and GKE
 * {@code clusters.get}, Entra ID's client-assertion token endpoint and ARM's AKS {@code managedClusters} get and
 * {@code listClusterUserCredential}. Kubernetes ServiceAccount tokens presented to it are verified with a TokenReview
 * for the cloud's audience on the local API server, as the clouds verify them against the cluster's issuer.
 *
 * <p>The managed cluster every lookup describes is the local API server; the tokens it issues for that cluster are
 * accepted by the API server through {@link TokenWebhook}, which maps them to the cloud identity's name (the IAM ARN,
 * the Google service account e-mail, the Entra application id), as EKS, GKE and AKS do.
 */
public final class FakeClouds implements AutoCloseable {

    public static final String ACCOUNT = "111122223333";
    public static final String AWS_CONTROLLER_KEY_ID = "AKIACONTROLLER000001";
    public static final String AWS_CONTROLLER_SECRET = "controller-secret-access-key";
    public static final String EKS_CLUSTER = "prod";
    public static final String EKS_ARN = "arn:aws:eks:eu-west-1:" + ACCOUNT + ":cluster/" + EKS_CLUSTER;
    public static final String GKE_CLUSTER = "projects/currents-test/locations/europe-west1/clusters/prod";
    public static final String GCP_PROVIDER = "projects/123456789/locations/global/workloadIdentityPools/flux/providers/currents";
    public static final String AKS_CLUSTER = "/subscriptions/0000-sub/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod";
    public static final String AZURE_TENANT = "tenant-0001";
    private static final String AKS_APP = "6dae42f8-4368-4678-94ff-3960e28e3630";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An AWS key pair the fake knows, and whose identity it is. */
    private record AwsKey(String secret, String arn) {
    }

    private final HttpServer server;
    private final KubernetesClient kube;
    private final String apiServer;
    private final String caPem;
    private final AutoCloseable webhook;
    private final Map<String, AwsKey> awsKeys = new ConcurrentHashMap<>();
    /** role ARN -> the ServiceAccount subject (system:serviceaccount:ns:name) its trust policy allows */
    private final Map<String, String> roleTrust = new ConcurrentHashMap<>();
    /** GCP service account e-mail or Azure client id -> the ServiceAccount subject federated with it */
    private final Map<String, String> federations = new ConcurrentHashMap<>();
    /** access token -> (kind, identity name) */
    private final Map<String, String[]> tokens = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String clusterLookupError;
    private BiConsumer<String, String> issuedListener = (token, kind) -> { };

    private FakeClouds(HttpServer server, KubernetesClient kube, String apiServer, String caPem) {
        this.server = server;
        this.kube = kube;
        this.apiServer = apiServer.replaceAll("/+$", "");
        this.caPem = caPem;
        this.awsKeys.put(AWS_CONTROLLER_KEY_ID, new AwsKey(AWS_CONTROLLER_SECRET, "arn:aws:iam::" + ACCOUNT + ":user/kustomize-controller"));
        this.webhook = TokenWebhook.register(this::authenticate);
    }

    /** Starts the clouds, their managed cluster being the API server at this address with this CA (PEM). */
    public static FakeClouds start(KubernetesClient kube, String apiServer, String caPem) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
            FakeClouds clouds = new FakeClouds(server, kube, apiServer, caPem);
            server.createContext("/", clouds::awsSts);
            server.createContext("/aws-eks", clouds::eks);
            server.createContext("/gcp-sts", clouds::gcpSts);
            server.createContext("/gcp-iam", clouds::gcpIam);
            server.createContext("/gcp-container", clouds::gke);
            server.createContext("/aad", clouds::entra);
            server.createContext("/arm", clouds::arm);
            server.start();
            return clouds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The controller settings that point it here: AWS's SDK endpoint properties, Google's and Azure's endpoint settings.
     * The AWS controller identity is the SDK's {@code aws.accessKeyId}/{@code aws.secretAccessKey} properties.
     */
    public Map<String, String> controllerProperties() {
        return Map.of("aws.endpointUrlSts", url(), "aws.endpointUrlEks", url() + "/aws-eks",
                "aws.accessKeyId", AWS_CONTROLLER_KEY_ID, "aws.secretAccessKey", AWS_CONTROLLER_SECRET,
                "currents.gcp.sts-endpoint", url() + "/gcp-sts", "currents.gcp.iam-credentials-endpoint", url() + "/gcp-iam",
                "currents.gcp.container-endpoint", url() + "/gcp-container",
                "currents.azure.authority-host", url() + "/aad/", "currents.azure.resource-manager-endpoint", url() + "/arm");
    }

    /** Trusts this ServiceAccount to assume this IAM role (AssumeRoleWithWebIdentity). */
    public FakeClouds trustRole(String roleArn, String namespace, String serviceAccount) {
        roleTrust.put(roleArn, "system:serviceaccount:" + namespace + ":" + serviceAccount);
        return this;
    }

    /** Federates this ServiceAccount with a GCP service account e-mail or an Azure application (client id). */
    public FakeClouds federate(String cloudIdentity, String namespace, String serviceAccount) {
        federations.put(cloudIdentity, "system:serviceaccount:" + namespace + ":" + serviceAccount);
        return this;
    }

    /** Makes EKS, GKE and AKS cluster lookups fail with this message (null: succeed again). */
    public FakeClouds failClusterLookups(String message) {
        this.clusterLookupError = message;
        return this;
    }

    /** Told about every access token issued (token, kind "aws"/"gcp"/"azure"), e.g. for a KMS fake to accept it. */
    public FakeClouds onIssued(BiConsumer<String, String> listener) {
        this.issuedListener = listener;
        return this;
    }

    /** The requests answered, as "METHOD path", in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    // --- what the local API server accepts (through the token webhook) ---

    private Optional<TokenWebhook.User> authenticate(String token) {
        if (token.startsWith("k8s-aws-v1.")) {
            return eksToken(token).map(arn -> new TokenWebhook.User(arn, List.of("eks:authenticated")));
        }
        String[] issued = tokens.get(token);
        if (issued == null || issued[0].equals("arm") || issued[0].equals("gcp-federated")) {
            return Optional.empty();
        }
        return Optional.of(new TokenWebhook.User(issued[1], List.of(issued[0] + ":authenticated")));
    }

    /** The ARN an EKS token authenticates as: its presigned GetCallerIdentity URL must be signed for the cluster. */
    private Optional<String> eksToken(String token) {
        try {
            URI url = URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())), StandardCharsets.UTF_8));
            Map<String, String> query = query(url.getRawQuery());
            if (!url.toString().startsWith(url() + "/?") || !"GetCallerIdentity".equals(query.get("Action"))
                    || !"2011-06-15".equals(query.get("Version")) || !"AWS4-HMAC-SHA256".equals(query.get("X-Amz-Algorithm"))
                    || !List.of(query.getOrDefault("X-Amz-SignedHeaders", "").split(";")).contains("x-k8s-aws-id")
                    || Integer.parseInt(query.getOrDefault("X-Amz-Expires", "0")) > 900) {
                return Optional.empty();
            }
            String[] scope = query.getOrDefault("X-Amz-Credential", "").split("/");
            AwsKey key = awsKeys.get(scope[0]);
            if (key == null || scope.length != 5 || !scope[3].equals("sts")) {
                return Optional.empty();
            }
            Map<String, String> headers = Map.of("host", url.getHost() + ":" + url.getPort(), "x-k8s-aws-id", EKS_CLUSTER);
            Map<String, String> signedQuery = new TreeMap<>(query);
            signedQuery.remove("X-Amz-Signature");
            String expected = signature(key.secret(), "GET", url.getRawPath(), signedQuery, headers, query.get("X-Amz-SignedHeaders"),
                    sha256Hex(new byte[0]), query.get("X-Amz-Date"), scope);
            return expected.equals(query.get("X-Amz-Signature")) ? Optional.of(key.arn()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // --- AWS ---

    private void awsSts(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            Map<String, String> form = KeyServiceServer.form(exchange);
            if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())
                    || !"AssumeRoleWithWebIdentity".equals(form.get("Action")) || !"2011-06-15".equals(form.get("Version"))) {
                stsError(exchange, 400, "InvalidAction", "Could not find operation " + form.get("Action"));
                return;
            }
            String role = form.getOrDefault("RoleArn", "");
            String subject = reviewed(form.get("WebIdentityToken"), "sts.amazonaws.com");
            if (subject == null) {
                stsError(exchange, 400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider");
                return;
            }
            if (!subject.equals(roleTrust.get(role)) || form.getOrDefault("RoleSessionName", "").isEmpty()) {
                stsError(exchange, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
                return;
            }
            String keyId = "ASIA" + HexFormat.of().formatHex(random(8)).toUpperCase();
            String secret = HexFormat.of().formatHex(random(20));
            String session = form.get("RoleSessionName");
            String assumed = "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role.substring(role.lastIndexOf('/') + 1) + "/" + session;
            awsKeys.put(keyId, new AwsKey(secret, assumed));
            issuedListener.accept(keyId, "aws");
            String body = """
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithWebIdentityResult>
                        <SubjectFromWebIdentityToken>%s</SubjectFromWebIdentityToken>
                        <Audience>sts.amazonaws.com</Audience>
                        <AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROAFAKE:%s</AssumedRoleId></AssumedRoleUser>
                        <Credentials>
                          <AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                          <SessionToken>session-%s</SessionToken><Expiration>%s</Expiration>
                        </Credentials>
                      </AssumeRoleWithWebIdentityResult>
                      <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>
                    </AssumeRoleWithWebIdentityResponse>
                    """.formatted(subject, assumed, session, keyId, secret, keyId, Instant.now().plusSeconds(3600));
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            KeyServiceServer.respond(exchange, 200, body);
        }
    }

    private static void stsError(HttpExchange exchange, int status, String code, String message) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        KeyServiceServer.respond(exchange, status, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>" + code + "</Code><Message>" + message + "</Message></Error><RequestId>fake</RequestId></ErrorResponse>");
    }

    /** {@code GET /clusters/<name>} of EKS, signed with SigV4 (service eks) by a key this fake knows. */
    private void eks(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            if (verifiedAwsRequest(exchange, "eks") == null) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "UnrecognizedClientException");
                KeyServiceServer.respond(exchange, 403, "{\"message\":\"The security token included in the request is invalid.\"}");
                return;
            }
            if (clusterLookupError != null) {
                KeyServiceServer.respond(exchange, 403, "{\"message\":\"" + clusterLookupError + "\"}");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) || !path.equals("/aws-eks/clusters/" + EKS_CLUSTER)) {
                KeyServiceServer.respond(exchange, 404, "{\"message\":\"No cluster found for name: " + path.substring(path.lastIndexOf('/') + 1) + ".\"}");
                return;
            }
            ObjectNode answer = JSON.createObjectNode();
            ObjectNode cluster = answer.putObject("cluster");
            cluster.put("name", EKS_CLUSTER).put("arn", EKS_ARN).put("endpoint", apiServer).put("status", "ACTIVE");
            cluster.putObject("certificateAuthority").put("data", Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
            KeyServiceServer.respond(exchange, 200, answer.toString());
        }
    }

    /** The identity of a SigV4 {@code Authorization} header for this service, or null when the signature does not verify. */
    private String verifiedAwsRequest(HttpExchange exchange, String service) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null || date == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return null;
        }
        Map<String, String> parts = new TreeMap<>();
        for (String part : authorization.substring(17).split(",\\s*")) {
            int eq = part.indexOf('=');
            parts.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String[] scope = parts.getOrDefault("Credential", "").split("/");
        AwsKey key = awsKeys.get(scope[0]);
        if (key == null || scope.length != 5 || !scope[3].equals(service)) {
            return null;
        }
        Map<String, String> headers = new TreeMap<>();
        for (String name : parts.getOrDefault("SignedHeaders", "").split(";")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            headers.put(name, value == null ? "" : value);
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        String expected = signature(key.secret(), exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                query(exchange.getRequestURI().getRawQuery()), headers, parts.get("SignedHeaders"), sha256Hex(body), date, scope);
        return expected.equals(parts.get("Signature")) ? key.arn() : null;
    }

    /** SigV4, written from AWS's description of the canonical request, the string to sign and the signing key. */
    private static String signature(String secret, String method, String path, Map<String, String> query, Map<String, String> headers,
                                    String signedHeaders, String payloadHash, String amzDate, String[] scope) {
        StringBuilder canonicalQuery = new StringBuilder();
        new TreeMap<>(query).forEach((k, v) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&")
                .append(encode(k)).append('=').append(encode(v)));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            canonicalHeaders.append(name).append(':').append(headers.getOrDefault(name, "").strip()).append('\n');
        }
        String canonical = method + "\n" + path + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/" + scope[4];
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + credentialScope + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] signingKey = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        signingKey = hmac(signingKey, scope[2]);
        signingKey = hmac(signingKey, scope[3]);
        signingKey = hmac(signingKey, "aws4_request");
        return HexFormat.of().formatHex(hmac(signingKey, toSign));
    }

    // --- Google Cloud ---

    /** Google's STS {@code POST /v1/token}: RFC 8693 token exchange of a ServiceAccount token for a federated token. */
    private void gcpSts(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            Map<String, String> form = KeyServiceServer.form(exchange);
            String audience = "//iam.googleapis.com/" + GCP_PROVIDER;
            if (!exchange.getRequestURI().getPath().equals("/gcp-sts/v1/token")
                    || !"urn:ietf:params:oauth:grant-type:token-exchange".equals(form.get("grant_type"))
                    || !"urn:ietf:params:oauth:token-type:access_token".equals(form.get("requested_token_type"))
                    || !"urn:ietf:params:oauth:token-type:jwt".equals(form.get("subject_token_type"))
                    || !audience.equals(form.get("audience"))) {
                KeyServiceServer.respond(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"Invalid value for \\\"audience\\\".\"}");
                return;
            }
            String subject = reviewed(form.get("subject_token"), audience);
            if (subject == null) {
                KeyServiceServer.respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"The given ID Token was not valid.\"}");
                return;
            }
            KeyServiceServer.respond(exchange, 200, JSON.createObjectNode().put("access_token", issue("gcp-federated", subject))
                    .put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token").put("token_type", "Bearer")
                    .put("expires_in", 3600).toString());
        }
    }

    /** IAM Credentials {@code generateAccessToken} of a service account the federated subject may impersonate. */
    private void gcpIam(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            String[] caller = bearer(exchange);
            String prefix = "/gcp-iam/v1/projects/-/serviceAccounts/";
            if (caller == null || !caller[0].equals("gcp-federated")) {
                KeyServiceServer.respond(exchange, 401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
                return;
            }
            String email = path.startsWith(prefix) && path.endsWith(":generateAccessToken")
                    ? path.substring(prefix.length(), path.length() - ":generateAccessToken".length()) : "";
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (!caller[1].equals(federations.get(email)) || !request.path("scope").isArray() || request.path("scope").isEmpty()) {
                KeyServiceServer.respond(exchange, 403, "{\"error\":{\"code\":403,\"message\":\"Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).\",\"status\":\"PERMISSION_DENIED\"}}");
                return;
            }
            KeyServiceServer.respond(exchange, 200, JSON.createObjectNode().put("accessToken", issue("gcp", email))
                    .put("expireTime", Instant.now().plusSeconds(3600).toString()).toString());
        }
    }

    /** GKE's {@code GET /v1/projects/*&#47;locations/*&#47;clusters/*}. */
    private void gke(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            String[] caller = bearer(exchange);
            if (caller == null || !caller[0].equals("gcp")) {
                KeyServiceServer.respond(exchange, 401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
                return;
            }
            if (clusterLookupError != null) {
                KeyServiceServer.respond(exchange, 403, "{\"error\":{\"code\":403,\"message\":\"" + clusterLookupError + "\",\"status\":\"PERMISSION_DENIED\"}}");
                return;
            }
            if (!path.equals("/gcp-container/v1/" + GKE_CLUSTER)) {
                KeyServiceServer.respond(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"Not found: " + path + ".\",\"status\":\"NOT_FOUND\"}}");
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("name", "prod").put("endpoint", URI.create(apiServer).getAuthority())
                    .put("status", "RUNNING");
            answer.putObject("masterAuth").put("clusterCaCertificate", Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
            KeyServiceServer.respond(exchange, 200, answer.toString());
        }
    }

    // --- Azure ---

    /** Entra ID's {@code POST /<tenant>/oauth2/v2.0/token} with a ServiceAccount token as the client assertion. */
    private void entra(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            Map<String, String> form = KeyServiceServer.form(exchange);
            String clientId = form.getOrDefault("client_id", "");
            String scope = form.getOrDefault("scope", "");
            if (!exchange.getRequestURI().getPath().equals("/aad/" + AZURE_TENANT + "/oauth2/v2.0/token")
                    || !"client_credentials".equals(form.get("grant_type"))
                    || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
                KeyServiceServer.respond(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS900144: The request body must contain the following parameter: 'client_assertion'.\"}");
                return;
            }
            String subject = reviewed(form.get("client_assertion"), "api://AzureADTokenExchange");
            if (subject == null || !subject.equals(federations.get(clientId))) {
                KeyServiceServer.respond(exchange, 400, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS70021: No matching federated identity record found for presented assertion.\"}");
                return;
            }
            String kind = scope.equals(AKS_APP + "/.default") ? "azure" : scope.equals("https://management.azure.com/.default") ? "arm"
                    : scope.endsWith("/.default") ? "azure-kv" : null;
            if (kind == null) {
                KeyServiceServer.respond(exchange, 400, "{\"error\":\"invalid_scope\",\"error_description\":\"AADSTS70011: The provided value for scope is not valid.\"}");
                return;
            }
            KeyServiceServer.respond(exchange, 200, JSON.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                    .put("access_token", issue(kind, clientId)).toString());
        }
    }

    /** ARM: the AKS managed cluster, and its user kubeconfigs. */
    private void arm(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            String[] caller = bearer(exchange);
            if (caller == null || !caller[0].equals("arm")) {
                KeyServiceServer.respond(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"The access token is invalid.\"}}");
                return;
            }
            if (clusterLookupError != null) {
                KeyServiceServer.respond(exchange, 403, "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"" + clusterLookupError + "\"}}");
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            if (query == null || !query.startsWith("api-version=")) {
                KeyServiceServer.respond(exchange, 400, "{\"error\":{\"code\":\"MissingApiVersionParameter\",\"message\":\"The api-version query parameter (?api-version=) is required for all requests.\"}}");
                return;
            }
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/arm" + AKS_CLUSTER)) {
                ObjectNode answer = JSON.createObjectNode().put("id", AKS_CLUSTER).put("name", "prod");
                answer.putObject("properties").put("fqdn", URI.create(apiServer).getHost()).putObject("aadProfile").put("managed", true);
                KeyServiceServer.respond(exchange, 200, answer.toString());
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/arm" + AKS_CLUSTER + "/listClusterUserCredential")) {
                String kubeconfig = """
                        apiVersion: v1
                        kind: Config
                        clusters:
                          - name: prod
                            cluster:
                              server: %s
                              certificate-authority-data: %s
                        users:
                          - name: clusterUser_rg_prod
                            user: {}
                        contexts:
                          - name: prod
                            context: {cluster: prod, user: clusterUser_rg_prod}
                        current-context: prod
                        """.formatted(apiServer, Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
                ObjectNode answer = JSON.createObjectNode();
                answer.putArray("kubeconfigs").addObject().put("name", "clusterUser")
                        .put("value", Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
                KeyServiceServer.respond(exchange, 200, answer.toString());
            } else {
                KeyServiceServer.respond(exchange, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource was not found.\"}}");
            }
        }
    }

    // --- shared ---

    /** The subject of a ServiceAccount token when the API server says it is valid for this audience, else null. */
    private String reviewed(String token, String audience) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        TokenReview review = kube.resource(new TokenReviewBuilder().withNewSpec().withToken(token).withAudiences(audience).endSpec().build())
                .create();
        return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAuthenticated())
                && review.getStatus().getAudiences() != null && review.getStatus().getAudiences().contains(audience)
                ? review.getStatus().getUser().getUsername() : null;
    }

    private String issue(String kind, String identity) {
        String token = kind + "-" + HexFormat.of().formatHex(random(16));
        tokens.put(token, new String[]{kind, identity});
        issuedListener.accept(token, kind);
        return token;
    }

    private String[] bearer(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization == null || !authorization.startsWith("Bearer ") ? null : tokens.get(authorization.substring(7));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new TreeMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    /** RFC 3986 encoding, as SigV4's canonical query wants it. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        try {
            webhook.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.stop(0);
    }
}
