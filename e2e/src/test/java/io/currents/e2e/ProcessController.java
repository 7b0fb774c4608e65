package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;

import java.time.Duration;

/** A controller as a JVM process from its packaged application, started by the launcher {@code currents dev up} uses. */
record ProcessController(ControllerProcess process) implements LocalController {

    @Override
    public String name() {
        return process.controller().controllerName();
    }

    @Override
    public int httpPort() {
        return process.httpPort();
    }

    @Override
    public boolean isReady() {
        return process.isReady();
    }

    @Override
    public void awaitReady(Duration timeout) {
        process.awaitReady(timeout);
    }

    @Override
    public void stop(Duration grace) {
        process.stop(grace);
    }
}
