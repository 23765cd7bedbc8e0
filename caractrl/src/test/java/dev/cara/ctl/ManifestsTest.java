package dev.cara.ctl;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.IngressSpec;
import dev.cara.sdk.Manifest;
import dev.cara.sdk.Node;
import dev.cara.sdk.Project;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How manifest files become Node and Project manifests: YAML and JSON, mixed kinds, and the errors. */
class ManifestsTest {
    static final String MIXED = """
            apiVersion: caravanserai/v1
            kind: Node
            metadata: {name: worker-01, labels: {zone: eu-1}}
            ---
            apiVersion: caravanserai/v1
            kind: Project
            metadata:
              name: shop
            spec:
              services:
                - name: web
                  image: "nginx:alpine"
                  env: [{name: MODE, value: prod}]
                  volumeMounts: [{name: cache, mountPath: /var/cache/nginx}]
              volumes: [{name: cache, type: Ephemeral}]
              ingress:
                - {name: www, host: shop.example.com, target: {service: web, port: 80}, access: {scope: Internal}}
              expireAt: 2030-01-01T00:00:00Z
              resources: {requests: {cpu: 0.5, memory: 1Gi}}
              nodeSelector: {zone: eu-1}
            ---
            kind: ProjectList
            items:
              - {kind: Project, metadata: {name: a}, spec: {services: [{name: s, image: i}]}}
            """;

    private static String error(String text) {
        return assertThrows(CtlException.Manifest.class, () -> Manifests.parseAll("m.json", text)).getMessage();
    }

    @Test
    void mixedNodeAndProjectDocumentsAreSplitByKind() {
        List<Manifests.Resource> all = Manifests.parseAll("m.yaml", MIXED);
        assertEquals(List.of("Node/worker-01/1", "Project/shop/2", "Project/a/3"),
                all.stream().map(r -> r.manifest().kind() + "/" + r.manifest().name() + "/" + r.document()).toList());
        Node node = assertInstanceOf(Manifest.OfNode.class, all.get(0).manifest()).node();
        assertEquals("eu-1", node.metadata().labels().get("zone"));
        Project shop = assertInstanceOf(Manifest.OfProject.class, all.get(1).manifest()).project();
        Project expected = Project.builder("shop")
                .service(dev.cara.sdk.ServiceSpec.builder("web").image("nginx:alpine").env("MODE", "prod")
                        .volumeMount("cache", "/var/cache/nginx").build())
                .volume("cache")
                .ingress(IngressSpec.of("www", "shop.example.com", "web", 80))
                .expireAt(Instant.parse("2030-01-01T00:00:00Z"))
                .request("cpu", "500m").request("memory", "1Gi")
                .nodeSelector("zone", "eu-1")
                .build();
        assertEquals(expected, shop);
        // YAML goes through the same JSON reader as a JSON manifest does.
        assertEquals(shop, CaraJson.parseProjectManifest(CaraJson.toJson(shop)));
    }

    @Test
    void projectDocumentsAreCheckedAsStrictlyAsNodes() {
        assertEquals("m.json: document 1: spec.ingress[0].target.port: \"80\" is invalid: must be a TCP port from 1 to 65535"
                        + " (a number without quotes)",
                error("{\"kind\": \"Project\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"services\": [{\"name\": \"web\","
                        + " \"image\": \"i\"}], \"ingress\": [{\"name\": \"r\", \"target\": {\"service\": \"web\", \"port\": \"80\"}}]}}"));
        assertEquals("m.json: document 1: spec.services is required: must be a list of at least one service, each with a name"
                + " and an image (for example {name: web, image: \"nginx:alpine\"})", error("{\"kind\": \"Project\", \"metadata\": {\"name\": \"p\"}}"));
        assertEquals("m.json: document 1: kind: \"Pod\" is invalid: must be \"Node\" or \"Project\"",
                error("{\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}"));
    }

    @Test
    void malformedJsonInAManifestIsDescribedInTheSdksWordsNotTheParsers() {
        // Before: "malformed JSON: " and Parsson's own message ("Invalid token=EOF at (line no=1, ..."), which is no API.
        assertEquals("m.json: document 2: malformed JSON at line 2, column 9: found the end of the body where a value should be",
                error("{\"kind\": \"Node\", \"metadata\": {\"name\": \"w\"}}\n{\"kind\":"));
        assertEquals("m.json: document 1: malformed JSON at line 3, column 23: unexpected character ''' (strings and field names"
                + " need double quotes)", error("\n\n{\"metadata\": {\"name\": 'w'}}"));
        String sameLine = error("{\"metadata\": {\"name\": \"a\"}} {\"metadata\": {\"name\": \"b\",}}");
        assertEquals("m.json: document 2: malformed JSON at line 1, column 55: found '}' where a string should be", sameLine);
        assertFalse(sameLine.contains("token"), sameLine);
    }
}
