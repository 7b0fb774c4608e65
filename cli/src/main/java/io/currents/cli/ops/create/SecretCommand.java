package io.currents.cli.ops.create;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.util.Map;

/** A Secret made from flags: applied, or printed with --export (to be encrypted with SOPS and committed). */
abstract class SecretCommand extends CreateCommand {

    SecretCommand() {
        super(null, "secret", false);
    }

    @Override
    abstract Secret object();

    /** A Secret named after the command's argument with the (unencoded) {@code stringData}. */
    Secret secret(Map<String, String> stringData) {
        return secret(metadata(name), stringData);
    }

    static Secret secret(ObjectMeta metadata, Map<String, String> stringData) {
        return new SecretBuilder().withMetadata(metadata).withStringData(stringData).build();
    }

    @Override
    void applyToCluster(HasMetadata object) {
        progress.action("applying secret " + name);
        apply(kube.client(), object);
        progress.success("secret " + name + " created in " + kube.namespace() + " namespace");
    }
}
