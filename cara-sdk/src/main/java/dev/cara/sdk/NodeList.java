package dev.cara.sdk;

import java.util.List;

/** A list of nodes as the API returns it: {@code {apiVersion, kind: NodeList, items: []}}. */
public record NodeList(String apiVersion, String kind, List<Node> items) {
    public static final String KIND = "NodeList";

    public NodeList {
        apiVersion = apiVersion == null ? Node.API_VERSION : apiVersion;
        kind = kind == null ? KIND : kind;
        items = items == null ? List.of() : List.copyOf(items);
    }

    public static NodeList of(List<Node> items) {
        return new NodeList(Node.API_VERSION, KIND, items);
    }
}
