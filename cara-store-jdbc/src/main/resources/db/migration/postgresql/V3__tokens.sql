-- API tokens (TokenStore): the public part and the SHA-256 of the secret, never the secret. Every
-- replica reads the same rows on each authentication, so a token made on one replica works on all
-- of them and a revocation is seen by all (the server caches a token for at most one second).
CREATE TABLE cara_token (
    id          VARCHAR(64) COLLATE "C" PRIMARY KEY,
    description TEXT NOT NULL,
    role        VARCHAR(32) NOT NULL,          -- the Role's Java name
    node        VARCHAR(253) COLLATE "C" NOT NULL, -- the node of a node credential, else empty
    created_at  VARCHAR(40) NOT NULL,          -- RFC 3339 with nanoseconds (Instant.toString)
    expires_at  VARCHAR(40),                   -- null: never
    revoked     BOOLEAN NOT NULL,
    secret_hash VARCHAR(64) NOT NULL
);
