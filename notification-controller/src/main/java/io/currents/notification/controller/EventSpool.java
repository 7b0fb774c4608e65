package io.currents.notification.controller;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.runtime.events.FluxEvent;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepted events on disk ({@code events-spool-dir}), one JSON file each, so that an event acknowledged by the events
 * endpoint survives a crash of the controller and is delivered after its restart (at least once). A file is written to
 * a temporary name, synced and renamed, so a file with the final name is always complete; it is removed once the event
 * is finished. The spool is bounded in events and bytes: when full, {@link #write} refuses and the endpoint answers 503,
 * which the sender retries. The files hold the event as it was posted (no Provider or Secret data).
 */
final class EventSpool {

    private static final Logger LOG = Logger.getLogger(EventSpool.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";
    /** Larger than any event the endpoint accepts (its body limit): a bigger file is not one this spool wrote. */
    static final long MAX_FILE = 4L * 1024 * 1024 + 1024;

    private final Path dir;
    private final int maxEvents;
    private final long maxBytes;
    private final AtomicLong sequence = new AtomicLong();
    /** The event files this spool counts (written by it or found in the directory), until removed. */
    private final Set<Path> held = ConcurrentHashMap.newKeySet();
    private final List<Path> recovered = new ArrayList<>();
    private int events;
    private long bytes;

    /** Thrown when the spool holds its maximum of events or bytes. */
    static final class Full extends Exception {
        Full(String message) {
            super(message);
        }
    }

    private EventSpool(Path dir, int maxEvents, long maxBytes) {
        this.dir = dir;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens the spool: creates the directory, removes the temporary files of writes a crash interrupted (never
     * acknowledged) and takes note of the events left by the previous process, for {@link #recover()}.
     */
    static EventSpool open(Path dir, int maxEvents, long maxBytes) throws IOException {
        EventSpool spool = new EventSpool(dir, maxEvents, maxBytes);
        Files.createDirectories(dir);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
        spool.scan();
        return spool;
    }

    /** Takes note of the event files this spool does not hold yet (left by a previous process), counting them. */
    private synchronized void scan() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && held.add(file)) {
                    recovered.add(file);
                    events++;
                    bytes += Files.size(file);
                }
            }
        }
    }

    /**
     * The events a previous process accepted and did not finish, oldest first, each to be routed again; a file that
     * is not a valid event (truncated, corrupt, edited) is logged and removed.
     */
    List<AcceptedEvent> recover() {
        try {
            scan();
        } catch (IOException e) {
            LOG.warnf("cannot list the event spool %s: %s", dir, e.getMessage());
        }
        List<Path> files;
        synchronized (this) {
            files = new ArrayList<>(recovered);
            recovered.clear();
        }
        files.sort(null);
        List<AcceptedEvent> events = new ArrayList<>();
        for (Path file : files) {
            long size = 0;
            try {
                size = Files.size(file);
                FluxEvent event = size > MAX_FILE ? null : read(file);
                String invalid = event == null ? "larger than " + MAX_FILE + " bytes" : EventServer.validate(event);
                if (invalid != null) {
                    LOG.warnf("removing spooled event %s: %s", file.getFileName(), invalid);
                    remove(file, size);
                    continue;
                }
                events.add(accepted(event, file, size));
            } catch (IOException e) {
                LOG.warnf("removing spooled event %s, which cannot be read: %s", file.getFileName(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
                remove(file, size);
            }
        }
        return events;
    }

    private static FluxEvent read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readValue(in, FluxEvent.class);
        }
    }

    /** Writes the event durably (temporary file, fsync, rename, fsync of the directory), then returns it as accepted. */
    AcceptedEvent write(FluxEvent event) throws Full, IOException {
        byte[] content = JSON.writeValueAsBytes(event);
        synchronized (this) {
            if (events >= maxEvents) {
                throw new Full("event spool is full (" + events + " events, events-spool-max-events=" + maxEvents + ")");
            }
            if (bytes + content.length > maxBytes) {
                throw new Full("event spool is full (" + bytes + " bytes, events-spool-max-bytes=" + maxBytes + ")");
            }
            events++;
            bytes += content.length;
        }
        // epoch millis and a sequence first: the names sort in acceptance order for the replay
        String name = String.format("%013d-%09d-%s", System.currentTimeMillis(), sequence.incrementAndGet(),
                UUID.randomUUID().toString().substring(0, 8));
        Path temp = dir.resolve("." + name + TEMP_SUFFIX);
        Path file = dir.resolve(name + SUFFIX);
        held.add(file); // before the rename: a concurrent scan must not take it for a previous process's event
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the spool directory does not support atomic renames", e);
            }
            syncDirectory();
        } catch (IOException e) {
            held.remove(file);
            Files.deleteIfExists(temp);
            Files.deleteIfExists(file);
            unreserve(content.length);
            throw e;
        }
        return accepted(event, file, content.length);
    }

    private AcceptedEvent accepted(FluxEvent event, Path file, long size) {
        return new AcceptedEvent(event, () -> remove(file, size));
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for syncing; the rename itself is atomic
            LOG.debugf("could not sync the spool directory: %s", e.getMessage());
        }
    }

    private void remove(Path file, long size) {
        try {
            Files.deleteIfExists(file);
            if (held.remove(file)) {
                unreserve(size);
            }
        } catch (IOException e) {
            LOG.warnf("could not remove the spooled event %s: %s", file.getFileName(), e.getMessage());
        }
    }

    private synchronized void unreserve(long size) {
        events--;
        bytes -= size;
    }

    /** The events in the spool (written or recovered, not yet finished). */
    synchronized int events() {
        return events;
    }

    synchronized long bytes() {
        return bytes;
    }

    Path directory() {
        return dir;
    }
}
