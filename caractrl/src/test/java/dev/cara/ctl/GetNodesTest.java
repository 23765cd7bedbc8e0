package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.NodeList;
import dev.cara.sdk.testkit.JsonTrees;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetNodesTest {
    private Harness h;

    @BeforeEach
    void fleet() {
        h = new Harness();
        Fleet.build(h);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void tableShowsStateAdverseConditionsAndKubectlAges() {
        Harness.Result r = h.run("get", "nodes");
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                NAME        STATE      CONDITIONS                   AGE
                worker-01   Ready      Healthy                      5d
                worker-02   NotReady   NoHeartbeat,MemoryPressure   3h
                worker-03   Draining   NoHeartbeat,Unschedulable    12m
                worker-04   NotReady   Healthy                      45s
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void agesAndConditionsMoveWithTheClock() {
        h.advance(java.time.Duration.ofMinutes(50));
        h.controlPlane.tick();
        assertEquals("""
                NAME        STATE      CONDITIONS    AGE
                worker-04   NotReady   NoHeartbeat   50m
                """, h.run("get", "node", "worker-04").out());
    }

    @Test
    void wideAddsNetworkCapacityVersionAndLastHeartbeat() {
        Harness.Result r = h.run("get", "nodes", "-o", "wide");
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                NAME        STATE      CONDITIONS                   AGE   IP          AGENT-PORT   CPU      MEMORY   VERSION   LAST-HEARTBEAT
                worker-01   Ready      Healthy                      5d    10.0.0.11   9090         4        8Gi      0.1.0     10s
                worker-02   NotReady   NoHeartbeat,MemoryPressure   3h    <none>      <none>       <none>   <none>   <none>    3h
                worker-03   Draining   NoHeartbeat,Unschedulable    12m   <none>      <none>       <none>   <none>   <none>    <never>
                worker-04   NotReady   Healthy                      45s   <none>      <none>       <none>   <none>   <none>    <never>
                """, r.out());
    }

    @Test
    void jsonOfOneNamedNodeIsExactlyTheApiNode() {
        Harness.Result r = h.run("get", "nodes", "worker-01", "-o", "json");
        assertEquals(0, r.code(), r::toString);
        assertEquals(JsonTrees.object(CaraJson.toJson(h.controlPlane.get("worker-01"))), JsonTrees.object(r.out()));
        assertTrue(r.out().contains("\n    \"kind\": \"Node\""), "indented for people: " + r.out());
    }

    @Test
    void jsonOfAllOrSeveralNodesIsANodeList() {
        Harness.Result all = h.run("get", "nodes", "-o", "json");
        assertEquals(JsonTrees.object(CaraJson.toJson(NodeList.of(h.controlPlane.list()))), JsonTrees.object(all.out()));
        Harness.Result two = h.run("get", "nodes", "worker-03", "worker-01", "-o", "json");
        JsonObject list = JsonTrees.object(two.out());
        assertEquals("NodeList", list.getString("kind"));
        assertEquals(List.of("worker-03", "worker-01"), list.getJsonArray("items").stream()
                .map(v -> v.asJsonObject().getJsonObject("metadata").getString("name")).toList());
    }

    @Test
    void jsonOfNoNodesIsAnEmptyNodeList() {
        Harness.Result r = h.run("get", "nodes", "-l", "env=nowhere", "-o", "json");
        assertEquals(0, r.code(), r::toString);
        assertEquals(JsonTrees.object("{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"NodeList\",\"items\":[]}"),
                JsonTrees.object(r.out()));
    }

    @Test
    void yamlHasTheSameShapeFieldNamesAndOmissionsAsTheJson() {
        Harness.Result one = h.run("get", "nodes", "worker-01", "-o", "yaml");
        assertEquals(0, one.code(), one::toString);
        assertEquals(JsonTrees.object(CaraJson.toJson(h.controlPlane.get("worker-01"))), yamlAsJson(one.out()));
        assertTrue(one.out().startsWith("apiVersion: caravanserai/v1\nkind: Node\nmetadata:\n  name: worker-01\n"), one.out());
        assertTrue(one.out().contains("  resourceVersion: '1'\n"), "a numeric-looking string stays a string: " + one.out());

        Harness.Result all = h.run("get", "nodes", "-o", "yaml");
        assertEquals(JsonTrees.object(CaraJson.toJson(NodeList.of(h.controlPlane.list()))), yamlAsJson(all.out()));
    }

    @Test
    void nameFormatPrintsOneResourceNameALine() {
        Harness.Result r = h.run("get", "nodes", "-o", "name", "-l", "env=prod");
        assertEquals(0, r.code(), r::toString);
        assertEquals("node/worker-01\nnode/worker-03\n", r.out());
    }

    @Test
    void selectorFiltersTheTable() {
        Harness.Result r = h.run("get", "nodes", "--selector", "env in (prod),zone");
        assertEquals("""
                NAME        STATE   CONDITIONS   AGE
                worker-01   Ready   Healthy      5d
                """, r.out());
    }

    @Test
    void noMatchingNodesSaysSoOnStandardError() {
        Harness.Result r = h.run("get", "nodes", "-l", "env=nowhere");
        assertEquals(0, r.code());
        assertEquals("", r.out());
        assertEquals("No resources found\n", r.err());
    }

    @Test
    void aMissingNamedNodeIsReportedAndTheOthersStillPrinted() {
        Harness.Result r = h.run("get", "nodes", "worker-01", "ghost", "-o", "name");
        assertEquals(1, r.code(), r::toString);
        assertEquals("node/worker-01\n", r.out());
        assertEquals("Error: node \"ghost\" not found\n", r.err());

        Harness.Result alone = h.run("get", "nodes", "ghost");
        assertEquals(1, alone.code());
        assertEquals("", alone.out());
        assertEquals("Error: node \"ghost\" not found\n", alone.err());
    }

    @Test
    void aBadSelectorOrFormatIsAUsageError() {
        Harness.Result selector = h.run("get", "nodes", "-l", "in in in");
        assertEquals(2, selector.code(), selector::toString);
        assertTrue(selector.err().startsWith("Error: -l: "), selector.err());

        Harness.Result format = h.run("get", "nodes", "-o", "xml");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("\"xml\" is not an output format: use table, wide, json, yaml or name"), format.err());
    }

    @SuppressWarnings("unchecked")
    static JsonObject yamlAsJson(String yaml) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return Json.createObjectBuilder((Map<String, Object>) doc).build();
    }
}
