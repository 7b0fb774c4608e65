package io.currents.runtime.sops;

import java.util.Locale;

/** The file formats sops writes, chosen from the file name as sops and kustomize-controller do. */
public enum SopsFormat {
    YAML, JSON, DOTENV, BINARY;

    /** {@code .yaml}/{@code .yml}, {@code .json}, {@code .env}; anything else is binary. */
    public static SopsFormat forPath(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".env")) {
            return DOTENV;
        }
        return BINARY;
    }
}
