package io.currents.source;

import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.HelmRepositorySpec;
import io.currents.api.source.v1.HelmChartVerification;
import io.currents.oci.CosignSignatures;
import io.currents.oci.Descriptor;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciException;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.source.helm.ChartBuildException;
import io.currents.source.oci.OciTags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Helm charts in OCI registries, through the same client as OCIRepository: the client of an OCI HelmRepository, the
 * tag of a version or the highest tag in a range, the chart layer of a manifest, and cosign verification.
 */
@ApplicationScoped
public class OciCharts {

    private static final Pattern EXACT_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.+-]*)?");

    @Inject
    OciCredentials credentials;

    /** A chart pulled from a registry: its archive and the manifest digest it came from. */
    record Pulled(OciReference ref, String tag, String digest, byte[] archive) {
    }

    /** A client for an OCI HelmRepository; a cloud provider or a malformed URL is a persistent reference error. */
    OciClient client(HelmRepository repo) throws ChartBuildException, OciCredentials.AccessException {
        HelmRepositorySpec spec = repo.getSpec();
        String provider = spec.getProvider();
        if (provider != null && !provider.isBlank() && !"generic".equals(provider)) {
            throw ChartBuildException.reference(SourceKinds.unsupportedProvider(provider));
        }
        OciReference base = repository(spec.getUrl(), null);
        return credentials.client(new OciCredentials.Settings(repo.getMetadata().getNamespace(), base.registry(), spec.getSecretRef(),
                null, spec.getCertSecretRef(), null, Boolean.TRUE.equals(spec.getInsecure()),
                FluxDuration.parseOr(spec.getTimeout(), Duration.ofSeconds(60))));
    }

    /** {@code <repository url>/<chart>} as an OCI reference. */
    static OciReference repository(String url, String chart) throws ChartBuildException {
        String full = url == null ? "" : url.replaceAll("/+$", "");
        if (chart != null) {
            full = full + "/" + chart;
        }
        try {
            return OciReference.parse(full);
        } catch (OciException e) {
            throw ChartBuildException.reference(e.getMessage());
        }
    }

    /** The tag of an exact version (with {@code +} written {@code _}, as Helm pushes it), else the highest tag in the range. */
    String tagFor(OciClient client, OciReference chart, String version) throws ChartBuildException {
        String wanted = version == null || version.isBlank() ? "*" : version.trim();
        if (EXACT_VERSION.matcher(wanted).matches()) {
            return wanted.replace('+', '_');
        }
        Optional<String> tag;
        try {
            tag = OciTags.highest(client.tags(chart), wanted, null);
        } catch (IllegalArgumentException e) {
            throw ChartBuildException.reference("invalid version range '" + wanted + "': " + e.getMessage());
        } catch (OciException e) {
            throw ChartBuildException.pull("failed to list the tags of '" + chart.url() + "': " + e.getMessage());
        }
        return tag.orElseThrow(() -> ChartBuildException.pull("could not locate a version matching provided version string "
                + wanted + " in '" + chart.url() + "'"));
    }

    /** The manifest digest of {@code chart:tag} (one HEAD). */
    String digest(OciClient client, OciReference chart, String tag) throws ChartBuildException {
        try {
            return client.resolve(chart.withTag(tag)).digest();
        } catch (OciException e) {
            throw ChartBuildException.pull("failed to resolve '" + chart.url() + ":" + tag + "': " + e.getMessage());
        }
    }

    /** The chart layer of {@code chart@digest}, at most {@code maxBytes}. */
    Pulled pull(OciClient client, OciReference chart, String tag, String digest, long maxBytes) throws ChartBuildException {
        try {
            OciReference byDigest = new OciReference(chart.registry(), chart.repository(), null, digest);
            OciManifest manifest = client.manifest(byDigest);
            Descriptor layer = manifest.layers().stream().filter(l -> FluxArtifacts.HELM_CHART_MEDIA_TYPE.equals(l.mediaType()))
                    .findFirst().orElseThrow(() -> ChartBuildException.pull("'" + chart.url() + ":" + tag
                            + "' is not a Helm chart: no layer of media type " + FluxArtifacts.HELM_CHART_MEDIA_TYPE));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.fetchBlob(chart, layer, out, maxBytes);
            return new Pulled(chart, tag, digest, out.toByteArray());
        } catch (OciException e) {
            throw ChartBuildException.pull("failed to download chart for remote reference '" + chart.url() + ":" + tag + "': " + e.getMessage());
        }
    }

    /** Checks the cosign signature of the chart's manifest; returns the message for SourceVerified. */
    String verify(OciClient client, OciReference chart, String digest, HelmChartVerification verify, String namespace)
            throws VerificationException {
        String provider = verify.getProvider() == null ? "cosign" : verify.getProvider();
        if (!"cosign".equals(provider)) {
            throw new VerificationException("verification provider '" + provider + "' is not supported by Currents; use cosign with a"
                    + " public key in spec.verify.secretRef");
        }
        if (verify.getSecretRef() == null || verify.getSecretRef().getName() == null) {
            throw new VerificationException("cosign keyless verification (no spec.verify.secretRef) is not supported by Currents;"
                    + " give the public keys in spec.verify.secretRef");
        }
        try {
            Map<String, String> keys = new LinkedHashMap<>();
            credentials.secretData(namespace, verify.getSecretRef().getName()).forEach((k, v) -> {
                if (k.endsWith(".pub")) {
                    keys.put(k, v);
                }
            });
            return CosignSignatures.verify(client, chart, digest, keys);
        } catch (OciCredentials.AccessException | OciException e) {
            throw new VerificationException("failed to verify the signature using provider 'cosign': " + e.getMessage());
        }
    }

    /** A signature that did not verify, or a verification mode that cannot be done. */
    static final class VerificationException extends Exception {
        VerificationException(String message) {
            super(message);
        }
    }
}
