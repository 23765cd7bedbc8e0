package com.example.jsondir;

import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.testkit.ProjectStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/** The project contract against the example store's projects: a fresh directory each time, reopened from it. */
class JsonDirProjectStoreTest extends ProjectStoreContract {
    @TempDir
    Path dir;

    // Which directory each project store the kit got lives in, to open it again.
    private final Map<ProjectStore, Path> dirs = new IdentityHashMap<>();

    @Override
    protected ProjectStore newStore() {
        return open(dir.resolve("store-" + dirs.size()));
    }

    @Override
    protected ProjectStore reopen(ProjectStore closed) {
        return open(dirs.get(closed));
    }

    private ProjectStore open(Path where) {
        ProjectStore projects = JsonDirStore.open(where).projects();
        dirs.put(projects, where);
        return projects;
    }
}
