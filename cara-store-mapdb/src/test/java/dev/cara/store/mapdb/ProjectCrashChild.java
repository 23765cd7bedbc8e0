package dev.cara.store.mapdb;

import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.ProjectStore;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.cara.sdk.testkit.ProjectFixtures.project;

/**
 * The child of {@link MapDbProjectCrashIT}: creates projects, binds each to a node with a status write
 * and deletes some, until it is killed. It prints {@code TRY <name>} before each write and
 * {@code ACK <name> <nodeRef or - when deleted>} once the store returned. Heartbeats are committed
 * only on close here (no committer thread), so nothing but the project write itself can have put an
 * acknowledged status on disk. Arguments: the store file, a prefix for new names.
 */
public final class ProjectCrashChild {
    private ProjectCrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String prefix = args[1];
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).open();
        ProjectStore projects = store.projects();
        out.println("READY " + projects.list().projects().size());
        out.flush();
        for (int seq = 0; ; seq++) {
            String name = prefix + "-" + seq;
            out.println("TRY " + name);
            out.flush();
            projects.create(project(name));
            String node = "w" + seq;
            projects.updateStatus(name, p -> new ProjectStatus(ProjectPhase.SCHEDULED, node, List.of()), Fence.NONE);
            boolean deleted = seq % 3 == 2;
            if (deleted) {
                projects.delete(name, null);
            }
            out.println("ACK " + name + " " + (deleted ? "-" : node));
            out.flush();
        }
    }
}
