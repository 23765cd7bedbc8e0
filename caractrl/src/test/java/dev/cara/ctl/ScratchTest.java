package dev.cara.ctl;

import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void show() {
        try (Harness h = new Harness()) {
            Fleet.build(h);
            for (String[] a : new String[][] {{"get", "nodes"}, {"get", "nodes", "-o", "wide"}, {"get", "nodes", "worker-01", "-o", "json"},
                    {"get", "nodes", "worker-01", "-o", "yaml"}, {"describe", "node", "worker-01"}, {"describe", "node", "worker-02"}, {"get", "nodes", "nope"}, {"get"}, {"get", "pods"},
                    {"version"}, {"get", "nodes", "-o", "xml"}, {"--server", "foo", "get", "nodes"}, {"get", "nodes", "--server", "http://x:1/"}}) {
                System.out.println("$ " + String.join(" ", a) + "\n" + h.run(a));
            }
            System.out.println("server=" + h.lastServer);
        }
    }
}
