package io.currents.kustomize.bench;

import io.currents.kustomize.Kustomizer;
import io.currents.kustomize.ResourceList;
import java.nio.file.Path;

/**
 * Warm in-process timing of builds (bench/kustomize/run.sh runs it): warms the JVM up, then prints
 * the median build time of each directory. Not a test; it never fails a build.
 */
public final class KustomizeBench {
    private KustomizeBench() {
    }

    public static void main(String[] args) {
        int warmup = Integer.getInteger("bench.warmup", 15);
        int runs = Integer.getInteger("bench.runs", 15);
        Kustomizer k = Kustomizer.create();
        for (String a : args) {
            Path dir = Path.of(a);
            int objects = 0;
            long bytes = 0;
            for (int i = 0; i < warmup; i++) {
                ResourceList r = k.build(dir);
                objects = r.size();
                bytes = r.toYaml().length();
            }
            long[] t = new long[runs];
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                k.build(dir).toYaml();
                t[i] = System.nanoTime() - s;
            }
            java.util.Arrays.sort(t);
            System.out.printf("%s %d %d %.1f%n", dir, objects, bytes, t[runs / 2] / 1e6);
        }
    }
}
