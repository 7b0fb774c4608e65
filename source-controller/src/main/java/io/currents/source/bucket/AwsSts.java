package io.currents.source.bucket;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

import java.net.URI;

/**
 * {@code spec.sts} with provider {@code aws}: the pod's web identity (IRSA: {@code AWS_ROLE_ARN} and
 * {@code AWS_WEB_IDENTITY_TOKEN_FILE}) exchanged for temporary credentials at the given STS endpoint instead of the
 * region's default one.
 */
public final class AwsSts {

    private AwsSts() {
    }

    public static AwsCredentialsProvider webIdentity(URI endpoint, String region) {
        StsClient sts = StsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(sts).build();
    }
}
