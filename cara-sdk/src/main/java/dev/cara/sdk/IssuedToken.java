package dev.cara.sdk;

import dev.cara.sdk.spi.TokenRecord;

import java.util.Objects;

/**
 * A token just created: its stored record and, this once, the whole token
 * ({@code cara_<id>_<secret>}) to hand to its user. Nothing keeps the secret after this; its
 * {@link #toString} leaves it out so that it never reaches a log by accident.
 *
 * @param record what the store keeps
 * @param token  the bearer token, to show once
 */
public record IssuedToken(TokenRecord record, String token) {
    public IssuedToken {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "IssuedToken[" + record + ", token=cara_" + record.id() + "_***]";
    }
}
