package dev.cara.sdk;

/**
 * An object of the API ({@link Node}, {@link Project}, {@link Event}): its type meta and its metadata,
 * as every document of the API carries them, so that code may handle any of them alike (print its
 * name, check its kind).
 */
public interface ApiObject {

    /** The API version: {@value Node#API_VERSION} for every object of this API. */
    default String apiVersion() {
        return Node.API_VERSION;
    }

    /** The kind: {@code Node}, {@code Project}, {@code Event}. */
    String kind();

    /** Name, labels, annotations, times and resourceVersion. */
    ObjectMeta metadata();

    /** Shorthand for {@code metadata().name()}. */
    default String name() {
        return metadata().name();
    }
}
