package io.currents.runtime.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address, CA and bearer token of a managed cluster (EKS, GKE, AKS) for a cloud identity, as Flux's
 * {@code auth} providers make a client configuration for {@code spec.kubeConfig.configMapRef}: the cluster resource is
 * looked up with the cloud's API when the address or the CA is not given (and always for the controller's own
 * identity, whose token then only goes to the cluster's own endpoint), and the token is the one each cluster takes:
 * EKS's {@code k8s-aws-v1.} presigned STS {@code GetCallerIdentity}, a Google access token, an Entra ID token for AKS's
 * server application.
 */
public final class CloudClusters {

    /** Where a cluster is and how to authenticate to it. {@code caPem} may be null (the system's trust store). */
    public record Endpoint(String address, String caPem, String token) {
    }

    /** The Entra ID application of AKS's API servers. */
    public static final String AKS_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630";
    private static final String ARM_AUDIENCE = "https://management.azure.com";
    private static final String ARM_API_VERSION = "2024-05-01";
    private static final Pattern EKS = Pattern.compile("^arn:aws[a-z-]*:eks:([a-z0-9-]+):[0-9]{12}:cluster/([a-zA-Z0-9][a-zA-Z0-9_-]{0,99})$");
    private static final Pattern GKE = Pattern.compile("^projects/[^/]{1,200}/locations/[^/]{1,200}/clusters/[^/]{1,200}$");
    private static final Pattern AKS = Pattern.compile(
            "^/subscriptions/[^/]{1,200}/resourceGroups/[^/]{1,200}/providers/Microsoft\\.ContainerService/managedClusters/[^/]{1,200}$",
            Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudClusters() {
    }

    /** An EKS cluster, {@code cluster} being its ARN. */
    public static Endpoint eks(CloudIdentity identity, String cluster, String address, String caPem) throws IOException {
        Matcher m = EKS.matcher(cluster == null ? "" : cluster);
        if (!m.matches()) {
            throw new IOException("invalid EKS cluster ARN '" + cluster + "': must match " + EKS.pattern());
        }
        String region = m.group(1);
        String name = m.group(2);
        requireHttps(address);
        AwsCredentials credentials;
        try {
            credentials = identity.aws(region).resolveCredentials();
        } catch (SdkException e) {
            throw new IOException("failed to get AWS credentials with " + identity.describe() + ": " + e.getMessage());
        }
        if (address == null || caPem == null || identity.isController()) {
            String eks = CloudHttp.setting("aws.endpointUrlEks", "AWS_ENDPOINT_URL_EKS", "https://eks." + region + ".amazonaws.com");
            SdkHttpRequest describe = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(eks + "/clusters/" + name))
                    .putHeader("Accept", "application/json").build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(describe)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "eks")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            JsonNode answer = JSON.readTree(call(() -> CloudHttp.get(signed.request().getUri(), headers(signed.request()),
                    "EKS DescribeCluster", CloudClusters::awsError))).path("cluster");
            String endpoint = answer.path("endpoint").asText("");
            address = matching(address, endpoint, "EKS cluster '" + cluster + "'");
            if (caPem == null) {
                caPem = pem(answer.path("certificateAuthority").path("data").asText(""), "EKS cluster '" + cluster + "'");
            }
        }
        return new Endpoint(address, caPem, eksToken(credentials, region, name));
    }

    /**
     * EKS's bearer token: {@code k8s-aws-v1.} and the base64url of a presigned STS {@code GetCallerIdentity} URL whose
     * signature covers the {@code x-k8s-aws-id} header naming the cluster; the cluster's authenticator sends it on to STS.
     */
    static String eksToken(AwsCredentials credentials, String region, String clusterName) {
        SdkHttpRequest getCallerIdentity = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(CloudIdentity.awsStsEndpoint(region) + "/"))
                .putRawQueryParameter("Action", "GetCallerIdentity").putRawQueryParameter("Version", "2011-06-15")
                .putHeader("x-k8s-aws-id", clusterName).build();
        SignedRequest presigned = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(getCallerIdentity)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(60)));
        return "k8s-aws-v1." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(presigned.request().getUri().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A GKE cluster, {@code cluster} being {@code projects/<p>/locations/<l>/clusters/<c>}. */
    public static Endpoint gke(CloudIdentity identity, String cluster, String address, String caPem) throws IOException {
        requireHttps(address);
        String token = identity.gcpAccessToken();
        if (address == null || caPem == null || identity.isController()) {
            if (cluster == null || !GKE.matcher(cluster).matches()) {
                throw new IOException("invalid GKE cluster ID '" + cluster + "': must match " + GKE.pattern());
            }
            String container = CloudIdentity.gcpEndpoint("currents.gcp.container-endpoint", "CURRENTS_GCP_CONTAINER_ENDPOINT",
                    "https://container.googleapis.com");
            JsonNode answer = JSON.readTree(call(() -> CloudHttp.get(URI.create(container + "/v1/" + cluster),
                    Map.of("Authorization", "Bearer " + token), "GKE clusters.get", CloudHttp::googleError)));
            String endpoint = answer.path("endpoint").asText("");
            address = matching(address, endpoint.isEmpty() || endpoint.contains("://") ? endpoint : "https://" + endpoint,
                    "GKE cluster '" + cluster + "'");
            if (caPem == null) {
                caPem = pem(answer.path("masterAuth").path("clusterCaCertificate").asText(""), "GKE cluster '" + cluster + "'");
            }
        }
        return new Endpoint(address, caPem, token);
    }

    /** An AKS cluster, {@code cluster} being its ARM resource id. */
    public static Endpoint aks(CloudIdentity identity, String cluster, String address, String caPem) throws IOException {
        requireHttps(address);
        AzureIdentity azure = identity.azure();
        String token = call(() -> azure.accessToken(AKS_SERVER_APP));
        if (address == null || caPem == null || identity.isController()) {
            if (cluster == null || !AKS.matcher(cluster).matches()) {
                throw new IOException("invalid AKS cluster ID '" + cluster + "': must match " + AKS.pattern());
            }
            String arm = CloudHttp.setting("currents.azure.resource-manager-endpoint", "CURRENTS_AZURE_RESOURCE_MANAGER_ENDPOINT",
                    "https://management.azure.com");
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + call(() -> azure.accessToken(ARM_AUDIENCE)));
            JsonNode resource = JSON.readTree(call(() -> CloudHttp.get(URI.create(arm + cluster + "?api-version=" + ARM_API_VERSION),
                    bearer, "Azure Resource Manager", AzureIdentity::error)));
            if (resource.path("properties").path("aadProfile").isMissingNode() || resource.path("properties").path("aadProfile").isNull()) {
                throw new IOException("AKS cluster '" + cluster + "' does not have Microsoft Entra ID integration enabled");
            }
            JsonNode credentials = JSON.readTree(call(() -> CloudHttp.postJson(
                    URI.create(arm + cluster + "/listClusterUserCredential?api-version=" + ARM_API_VERSION), "",
                    bearer, "Azure Resource Manager", AzureIdentity::error)));
            List<String> addresses = new ArrayList<>();
            Endpoint found = null;
            for (JsonNode kubeconfig : credentials.path("kubeconfigs")) {
                Config config;
                try {
                    config = Config.fromKubeconfig(null, new String(CloudHttp.base64(kubeconfig.path("value").asText(""),
                            "an AKS kubeconfig"), StandardCharsets.UTF_8), null);
                } catch (RuntimeException e) {
                    throw new IOException("an AKS kubeconfig of cluster '" + cluster + "' cannot be read");
                }
                String server = canonical(config.getMasterUrl());
                addresses.add(server);
                if (address == null || server.equals(canonical(address))) {
                    String ca = config.getCaCertData() == null ? null
                            : new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8);
                    found = new Endpoint(config.getMasterUrl(), caPem != null ? caPem : ca, token);
                    break;
                }
            }
            if (found == null) {
                throw new IOException(addresses.isEmpty() ? "no kubeconfig found for AKS cluster '" + cluster + "'"
                        : "AKS cluster '" + cluster + "' does not match the address '" + address + "': its addresses are " + addresses);
            }
            return found;
        }
        return new Endpoint(address, caPem, token);
    }

    /** The address to use: the cloud's endpoint, which a given address must equal. */
    private static String matching(String given, String endpoint, String what) throws IOException {
        if (endpoint.isEmpty()) {
            throw new IOException(what + " has no endpoint");
        }
        if (given != null && !canonical(given).equals(canonical(endpoint))) {
            throw new IOException(what + " has the endpoint '" + endpoint + "', not the address '" + given + "'");
        }
        return endpoint;
    }

    /** A token is sent to a given address: it must be https. */
    private static void requireHttps(String address) throws IOException {
        if (address != null) {
            canonical(address);
        }
    }

    /** {@code https://host:port} of an address, the port 443 unless given. */
    static String canonical(String address) throws IOException {
        try {
            URI uri = URI.create(address.contains("://") ? address : "https://" + address);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IOException("the cluster address '" + address + "' must be https");
            }
            return "https://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() < 0 ? 443 : uri.getPort());
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid cluster address '" + address + "'");
        }
    }

    private static String pem(String base64, String what) throws IOException {
        if (base64.isEmpty()) {
            throw new IOException(what + " has no CA certificate");
        }
        return new String(CloudHttp.base64(base64, what + "'s CA certificate"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(SdkHttpRequest request) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        request.forEachHeader((name, values) -> {
            // the JDK's client sets Host itself and refuses it as a header
            if (!name.equalsIgnoreCase("host") && !values.isEmpty()) {
                headers.put(name, values.getFirst());
            }
        });
        return headers;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static String awsError(byte[] answer) {
        try {
            JsonNode root = JSON.readTree(answer);
            String message = root.path("message").asText(root.path("Message").asText(""));
            return message.isEmpty() ? null : message;
        } catch (IOException e) {
            return null;
        }
    }
}
