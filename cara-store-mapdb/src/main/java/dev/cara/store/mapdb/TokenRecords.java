package dev.cara.store.mapdb;

import dev.cara.sdk.Role;
import dev.cara.sdk.spi.TokenRecord;

import java.util.Optional;

/**
 * The binary record of one token in the file ({@code tokens} map, keyed by id), in the encodings of
 * {@link RecordWriter}: a version byte ({@value #RECORD_VERSION}), then id, description, role (its
 * Java name), node, createdAt, expiresAt (absent: never), revoked and the secret's hash. The secret
 * itself is never stored anywhere.
 */
final class TokenRecords {
    static final int RECORD_VERSION = 1;

    private TokenRecords() {
    }

    /** @throws IllegalArgumentException when the bytes are not a record this release can read */
    static TokenRecord read(byte[] bytes) {
        RecordReader r = RecordReader.of(bytes, RECORD_VERSION, "token");
        TokenRecord t = new TokenRecord(r.string(), r.string(), Role.valueOf(r.string()), r.string(), r.instant(),
                Optional.ofNullable(r.instant()), r.bool(), r.string());
        r.end();
        return t;
    }

    static byte[] write(TokenRecord t) {
        RecordWriter w = new RecordWriter();
        w.start(RECORD_VERSION);
        w.string(t.id());
        w.string(t.description());
        w.string(t.role().name());
        w.string(t.node());
        w.instant(t.createdAt());
        w.instant(t.expiresAt().orElse(null));
        w.bool(t.revoked());
        w.string(t.secretHash());
        return w.finish();
    }
}
