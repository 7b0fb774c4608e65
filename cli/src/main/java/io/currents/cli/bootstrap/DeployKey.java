package io.currents.cli.bootstrap;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.git.GitException;
import io.currents.git.SshKeys;

/**
 * An SSH deploy key generated as {@code flux bootstrap} generates one ({@code --ssh-key-algorithm}, {@code --ssh-rsa-bits},
 * {@code --ssh-ecdsa-curve}; ECDSA P-384 by default), its public half printed for the person or the provider API.
 */
record DeployKey(byte[] privateKey, String publicKey) {

    static DeployKey generate(BootstrapOptions options, Progress progress) {
        try {
            SshKeys.GeneratedKey key = SshKeys.generate(options.sshKeyAlgorithm, options.sshRsaBits, options.sshEcdsaCurve);
            progress.success("public key: " + key.publicKey().trim());
            return new DeployKey(key.privateKey(), key.publicKey().trim());
        } catch (GitException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** The deploy key's name at a provider, as flux names it: {@code <namespace>-<branch>-<secret>-<path>}. */
    static String name(String namespace, String branch, String secretName, String repoPath) {
        StringBuilder name = new StringBuilder();
        for (String part : new String[]{namespace, branch, secretName, repoPath}) {
            if (part != null && !part.isEmpty()) {
                name.append(name.isEmpty() ? "" : "-").append(part);
            }
        }
        return name.toString();
    }
}
