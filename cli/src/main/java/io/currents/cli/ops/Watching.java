package io.currents.cli.ops;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** What the {@code --watch} of get and events share: running a watch until it ends, and printing its rows under one header. */
final class Watching {

    private Watching() {
    }

    /**
     * Starts the watch, hands each change to {@code onEvent}, and returns when the server closes it, the timeout passes
     * (null: never) or the thread is interrupted.
     */
    static <T> void until(Function<Watcher<T>, Watch> start, BiConsumer<Watcher.Action, T> onEvent, Duration timeout) {
        CountDownLatch closed = new CountDownLatch(1);
        Watcher<T> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                onEvent.accept(action, resource);
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.countDown();
            }
        };
        try (Watch ignored = start.apply(watcher)) {
            if (timeout == null) {
                closed.await();
            } else {
                closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rows printed as they come: the first with the table's header unless one was printed before, the rest without. */
    static final class Rows {
        private final PrintWriter out;
        private final List<String> headers;
        private boolean headerPrinted;

        Rows(PrintWriter out, List<String> headers, boolean headerPrinted) {
            this.out = out;
            this.headers = headers;
            this.headerPrinted = headerPrinted;
        }

        void print(List<String> row) {
            synchronized (out) {
                List<List<String>> rows = List.of(row);
                out.print(headerPrinted ? Console.rows(headers, rows) : Console.table(headers, rows));
                out.flush();
                headerPrinted = true;
            }
        }
    }
}
