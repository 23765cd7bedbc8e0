package dev.cara.sdk;

/**
 * The scheduler's choice.
 *
 * @param node  the node chosen
 * @param score its score, from 0 (the request would fill it) to 1000 (it would stay empty)
 */
public record Placement(Node node, long score) {
}
