package io.currents.runtime.operator;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket in front of the Kubernetes API, as client-go's QPS/burst limiter: it holds up to {@code burst}
 * tokens, refilled at {@code qps} a second; each request takes one, waiting for it when the bucket is empty. Requests
 * reserve their token in arrival order, so waiting ones are served first come, first served.
 */
public final class ApiRateLimit implements Interceptor {

    static final String NAME = "currents-kube-api-rate-limit";

    private final double qps;
    private final int burst;
    private double tokens;
    private long last = System.nanoTime();

    public ApiRateLimit(double qps, int burst) {
        if (qps <= 0 || burst < 1) {
            throw new IllegalArgumentException("kube-api-qps must be > 0 and kube-api-burst >= 1, got " + qps + " and " + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.tokens = burst;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        acquire();
    }

    /** Takes a token, waiting as long as the bucket needs to refill one. */
    public void acquire() {
        long waitNanos = reserve();
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0) {
            LockSupport.parkNanos(waitNanos);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
            waitNanos = deadline - System.nanoTime();
        }
    }

    private synchronized long reserve() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * qps / TimeUnit.SECONDS.toNanos(1));
        last = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens / qps * TimeUnit.SECONDS.toNanos(1));
    }
}
