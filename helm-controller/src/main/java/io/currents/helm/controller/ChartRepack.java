package io.currents.helm.controller;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A packaged chart copied with changes Helm has no switch for in helm-java: {@code values.schema.json} left out (Flux's
 * {@code disableSchemaValidation}), and the {@code helm.sh/hook} annotation keys of the templates renamed, so that
 * {@code helm template} (which helm-java returns without hooks) renders the hooks with the other objects; {@link #HOOK_ALIAS}
 * is turned back into {@code helm.sh/hook} in the rendered text. Subcharts, packed or not, are changed alike.
 */
final class ChartRepack {

    static final String HOOK_KEY = "helm.sh/hook";
    static final String HOOK_ALIAS = "render.currents.io/helm-hook";

    private static final long MAX_ENTRY = 64L * 1024 * 1024;
    /** All entries together, subcharts included: a small archive must not unpack into an unbounded copy. */
    private static final long MAX_TOTAL = 256L * 1024 * 1024;
    private static final int MAX_DEPTH = 5;

    private ChartRepack() {
    }

    /** Writes the changed copy of {@code tgz} to {@code out}. */
    static Path copy(Path tgz, Path out, boolean renameHooks, boolean dropSchemas) throws IOException {
        try (InputStream in = Files.newInputStream(tgz); OutputStream os = Files.newOutputStream(out)) {
            copy(in, os, renameHooks, dropSchemas, 0, new long[]{0});
        }
        return out;
    }

    /** Turns the renamed hook annotations of rendered text back into Helm's. */
    static String restoreHooks(String rendered) {
        return rendered.replace(HOOK_ALIAS, HOOK_KEY);
    }

    private static void copy(InputStream packed, OutputStream target, boolean renameHooks, boolean dropSchemas, int depth,
                             long[] total) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(target);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(gz);
        tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(packed)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile()) {
                    if (entry.isDirectory()) {
                        tarOut.putArchiveEntry(new TarArchiveEntry(entry.getName()));
                        tarOut.closeArchiveEntry();
                    }
                    continue;
                }
                total[0] += entry.getSize();
                if (entry.getSize() > MAX_ENTRY || total[0] > MAX_TOTAL) {
                    throw new IOException("chart entry " + entry.getName() + " is too large (the chart unpacks to more than "
                            + MAX_TOTAL / (1024 * 1024) + " MiB)");
                }
                String name = entry.getName();
                String[] parts = name.replaceFirst("^(\\./)+", "").split("/");
                String file = parts[parts.length - 1];
                if (dropSchemas && "values.schema.json".equals(file)) {
                    continue;
                }
                byte[] data = tar.readNBytes((int) entry.getSize());
                if (file.endsWith(".tgz") && parts.length >= 3 && "charts".equals(parts[parts.length - 2]) && depth < MAX_DEPTH) {
                    ByteArrayOutputStream nested = new ByteArrayOutputStream();
                    copy(new ByteArrayInputStream(data), nested, renameHooks, dropSchemas, depth + 1, total);
                    data = nested.toByteArray();
                } else if (renameHooks && inTemplates(parts)) {
                    data = new String(data, StandardCharsets.UTF_8).replace(HOOK_KEY, HOOK_ALIAS).getBytes(StandardCharsets.UTF_8);
                }
                TarArchiveEntry copy = new TarArchiveEntry(name);
                copy.setSize(data.length);
                copy.setMode(entry.getMode());
                copy.setModTime(entry.getModTime());
                tarOut.putArchiveEntry(copy);
                tarOut.write(data);
                tarOut.closeArchiveEntry();
            }
        }
        tarOut.finish();
        gz.finish();
    }

    /** Whether the path is a template of the chart or of an unpacked subchart ({@code <c>[/charts/<s>]*}/templates/...). */
    private static boolean inTemplates(String[] parts) {
        for (int i = 1; i < parts.length - 1; i += 2) {
            if ("templates".equals(parts[i])) {
                return true;
            }
            if (!"charts".equals(parts[i])) {
                return false;
            }
        }
        return false;
    }
}
