-- API tokens (TokenStore): the public part and the SHA-256 of the secret, never the secret. Every
-- replica reads the same rows on each authentication, so a token made on one replica works on all
-- of them and a revocation is seen by all (the server caches a token for at most one second).
CREATE TABLE cara_token (
    id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    description TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    role        VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    node        VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at  VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    expires_at  VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NULL,
    revoked     BOOLEAN NOT NULL,
    secret_hash VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
) ENGINE = InnoDB;
