package io.currents.runtime.identity;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whose cloud identity a controller uses for an object, and how it gets cloud credentials with it, as Flux's
 * {@code auth} package does: the controller's own (AWS's default credential chain, Google's Application Default
 * Credentials, Azure workload or managed identity), or, for object-level workload identity, a tenant's Kubernetes
 * ServiceAccount whose token (TokenRequest, with the cloud's audience) is exchanged for the cloud identity its
 * annotations name:
 * <ul>
 *   <li>AWS: STS {@code AssumeRoleWithWebIdentity} for the role of {@code eks.amazonaws.com/role-arn};</li>
 *   <li>GCP: Security Token Service token exchange for the workload identity provider of
 *       {@code gcp.auth.fluxcd.io/workload-identity-provider} (else the GKE cluster's own pool, from the metadata
 *       server), then {@code generateAccessToken} of {@code iam.gke.io/gcp-service-account} when it is set;</li>
 *   <li>Azure: Entra ID's client-assertion flow for the application of {@code azure.workload.identity/client-id}
 *       in the tenant of {@code azure.workload.identity/tenant-id} (else the controller's {@code AZURE_TENANT_ID}).</li>
 * </ul>
 * Every endpoint can be replaced (system property or environment variable), so that other clouds, and tests, can point
 * the controller elsewhere; a tenant's object never names one.
 */
public final class CloudIdentity {

    public static final String AWS_ROLE_ARN = "eks.amazonaws.com/role-arn";
    public static final String GCP_SERVICE_ACCOUNT = "iam.gke.io/gcp-service-account";
    public static final String GCP_WORKLOAD_IDENTITY_PROVIDER = "gcp.auth.fluxcd.io/workload-identity-provider";
    public static final String AZURE_CLIENT_ID = "azure.workload.identity/client-id";
    public static final String AZURE_TENANT_ID = "azure.workload.identity/tenant-id";
    public static final String AWS_AUDIENCE = "sts.amazonaws.com";
    public static final String AZURE_AUDIENCE = "api://AzureADTokenExchange";
    static final List<String> GCP_SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform",
            "https://www.googleapis.com/auth/userinfo.email");

    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.{1,200}$");
    private static final Pattern GCP_EMAIL = Pattern.compile("^[a-zA-Z0-9-]{1,100}@[a-zA-Z0-9-]{1,100}\\.iam\\.gserviceaccount\\.com$");
    private static final Pattern GCP_PROVIDER = Pattern.compile(
            "^projects/\\d{1,30}/locations/global/workloadIdentityPools/[^/]{1,100}/providers/[^/]{1,100}$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    private CloudIdentity(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** The controller's own identity. */
    public static CloudIdentity controller() {
        return new CloudIdentity(null, null, null);
    }

    /** The identity of the ServiceAccount {@code namespace/name} (object-level workload identity). */
    public static CloudIdentity serviceAccount(KubernetesClient client, String namespace, String name) {
        return new CloudIdentity(client, namespace, name);
    }

    public boolean isController() {
        return name == null;
    }

    /** For messages: "the controller" or "service account 'ns/name'". */
    public String describe() {
        return isController() ? "the controller's identity" : "service account '" + namespace + "/" + name + "'";
    }

    // --- AWS ---

    /** AWS credentials for work in this region. */
    public AwsCredentialsProvider aws(String region) throws IOException {
        if (isController()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String roleArn = annotation(AWS_ROLE_ARN);
        if (roleArn == null) {
            throw new IOException(describe() + " has no " + AWS_ROLE_ARN + " annotation naming the IAM role to assume");
        }
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new IOException("invalid " + AWS_ROLE_ARN + " annotation '" + roleArn + "' of " + describe());
        }
        String token = ServiceAccountTokens.issue(client, namespace, name, List.of(AWS_AUDIENCE));
        try (StsClient sts = StsClient.builder().region(Region.of(region)).credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(URI.create(awsStsEndpoint(region)))
                .httpClientBuilder(awsHttp()).build()) {
            Credentials issued = sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).webIdentityToken(token)
                    .roleSessionName(name + "." + namespace + "." + region + ".fluxcd.io")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(issued.accessKeyId(), issued.secretAccessKey(),
                    issued.sessionToken()));
        } catch (SdkException e) {
            // STS's message names the role, never the web identity token
            throw new IOException("failed to assume the AWS role '" + roleArn + "' with " + describe() + ": " + e.getMessage());
        }
    }

    /** STS of a region: {@code AWS_ENDPOINT_URL_STS} (or the SDK's {@code aws.endpointUrlSts} property) replaces it. */
    public static String awsStsEndpoint(String region) {
        return CloudHttp.setting("aws.endpointUrlSts", "AWS_ENDPOINT_URL_STS", "https://sts." + region + ".amazonaws.com");
    }

    static UrlConnectionHttpClient.Builder awsHttp() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(30));
    }

    // --- GCP ---

    /** A Google access token (scopes cloud-platform and userinfo.email). */
    public String gcpAccessToken() throws IOException {
        GoogleCredentials credentials;
        if (isController()) {
            try {
                credentials = GoogleCredentials.getApplicationDefault().createScoped(GCP_SCOPES);
            } catch (IOException e) {
                throw new IOException("the controller has no GCP credentials (Application Default Credentials): " + CloudHttp.firstLine(e.getMessage()));
            }
        } else {
            String email = annotation(GCP_SERVICE_ACCOUNT);
            if (email != null && !GCP_EMAIL.matcher(email).matches()) {
                throw new IOException("invalid " + GCP_SERVICE_ACCOUNT + " annotation '" + email + "' of " + describe());
            }
            String provider = annotation(GCP_WORKLOAD_IDENTITY_PROVIDER);
            String audience;
            String tokenAudience;
            if (provider != null) {
                if (!GCP_PROVIDER.matcher(provider).matches()) {
                    throw new IOException("invalid " + GCP_WORKLOAD_IDENTITY_PROVIDER + " annotation '" + provider + "' of " + describe());
                }
                audience = "//iam.googleapis.com/" + provider;
                tokenAudience = audience;
            } else {
                String[] gke = gkeCluster();
                tokenAudience = gke[0] + ".svc.id.goog";
                audience = "identitynamespace:" + tokenAudience + ":https://container.googleapis.com/v1/projects/" + gke[0]
                        + "/locations/" + gke[1] + "/clusters/" + gke[2];
            }
            return gcpExchange(ServiceAccountTokens.issue(client, namespace, name, List.of(tokenAudience)), audience, email);
        }
        try {
            credentials.refreshIfExpired();
            AccessToken token = credentials.getAccessToken();
            if (token == null) {
                throw new IOException("no access token was issued");
            }
            return token.getTokenValue();
        } catch (IOException | RuntimeException e) {
            throw new IOException("failed to get a GCP access token with " + describe() + ": " + CloudHttp.firstLine(e.getMessage()));
        }
    }

    /**
     * The RFC 8693 token exchange of Google's Security Token Service for a ServiceAccount token, then, when the account
     * names a Google service account, IAM Credentials' {@code generateAccessToken} for it with the federated token.
     * (Google's auth library does the same but only talks to https endpoints, which a test's fake cannot be.)
     */
    private String gcpExchange(String subjectToken, String audience, String email) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("audience", audience);
        form.put("scope", String.join(" ", GCP_SCOPES));
        form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
        URI sts = URI.create(gcpEndpoint("currents.gcp.sts-endpoint", "CURRENTS_GCP_STS_ENDPOINT", "https://sts.googleapis.com") + "/v1/token");
        try {
            String federated = JSON.readTree(CloudHttp.postForm(sts, CloudHttp.form(form), Map.of(), "Google's STS",
                    CloudIdentity::oauthError)).path("access_token").asText("");
            if (federated.isEmpty()) {
                throw new IOException("Google's STS answered without an access_token");
            }
            if (email == null) {
                return federated;
            }
            URI generate = URI.create(gcpEndpoint("currents.gcp.iam-credentials-endpoint", "CURRENTS_GCP_IAM_CREDENTIALS_ENDPOINT",
                    "https://iamcredentials.googleapis.com") + "/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken");
            ObjectNode body = JSON.createObjectNode().put("lifetime", "3600s");
            GCP_SCOPES.forEach(body.putArray("scope")::add);
            String token = JSON.readTree(CloudHttp.postJson(generate, body.toString(), Map.of("Authorization", "Bearer " + federated),
                    "IAM Credentials generateAccessToken for '" + email + "'", CloudHttp::googleError)).path("accessToken").asText("");
            if (token.isEmpty()) {
                throw new IOException("IAM Credentials answered without an accessToken");
            }
            return token;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("failed to get a GCP access token with " + describe() + ": " + e.getMessage());
        }
    }

    /** An OAuth error answer ({@code error}, {@code error_description}). */
    private static String oauthError(byte[] answer) {
        try {
            JsonNode root = JSON.readTree(answer);
            String description = root.path("error_description").asText("");
            return description.isEmpty() ? root.path("error").asText(null) : description;
        } catch (IOException e) {
            return null;
        }
    }

    /** A Google API endpoint, replaceable by a system property or an environment variable. */
    public static String gcpEndpoint(String property, String environment, String fallback) {
        return CloudHttp.setting(property, environment, fallback);
    }

    /** Project, location and name of the GKE cluster the controller runs in, from the metadata server ({@code GCE_METADATA_HOST}). */
    private static String[] gkeCluster() throws IOException {
        String host = CloudHttp.setting("currents.gcp.metadata-host", "GCE_METADATA_HOST", "metadata.google.internal");
        String[] paths = {"project/project-id", "instance/attributes/cluster-location", "instance/attributes/cluster-name"};
        String[] values = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            try {
                values[i] = new String(CloudHttp.get(URI.create("http://" + host + "/computeMetadata/v1/" + paths[i]),
                        Map.of("Metadata-Flavor", "Google"), "the GKE metadata server", answer -> null), StandardCharsets.UTF_8).strip();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (values[i].isEmpty()) {
                throw new IOException("the GKE metadata server gave no " + paths[i]);
            }
        }
        return values;
    }

    // --- Azure ---

    /** The Azure identity: the controller's own, or the ServiceAccount's federated application. */
    public AzureIdentity azure() throws IOException {
        if (isController()) {
            return AzureIdentity.ambient();
        }
        String clientId = annotation(AZURE_CLIENT_ID);
        String tenantId = annotation(AZURE_TENANT_ID);
        if (tenantId == null) {
            tenantId = System.getProperty("currents.azure.tenant-id", System.getenv("AZURE_TENANT_ID"));
        }
        if (clientId == null || tenantId == null || tenantId.isBlank()) {
            throw new IOException(describe() + " needs the " + AZURE_CLIENT_ID + " annotation, and " + AZURE_TENANT_ID
                    + " unless the controller has AZURE_TENANT_ID");
        }
        return AzureIdentity.federated(tenantId, clientId, namespace + "/" + name,
                () -> ServiceAccountTokens.issue(client, namespace, name, List.of(AZURE_AUDIENCE)));
    }

    private String annotation(String key) throws IOException {
        ServiceAccount account;
        try {
            account = client.serviceAccounts().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new IOException("failed to get " + describe() + ": " + e.getMessage());
        }
        if (account == null) {
            throw new IOException(describe() + " not found");
        }
        String value = account.getMetadata().getAnnotations() == null ? null : account.getMetadata().getAnnotations().get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
