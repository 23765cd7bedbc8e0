/**
 * cara's store on PostgreSQL and MariaDB, shared by several cara-server replicas: found by
 * {@link java.util.ServiceLoader} for {@code jdbc:} store URLs, or built with
 * {@code JdbcStore.builder(url)}. The JDBC drivers need no {@code requires}: {@code java.sql} uses
 * {@code java.sql.Driver}, so the resolver binds whichever driver modules are on the module path.
 */
module dev.cara.store.jdbc {
    requires dev.cara.sdk;
    requires java.sql;
    requires java.logging;
    requires com.zaxxer.hikari;
    // Flyway 13 declares no module name; this one is derived from its jar's file name.
    requires flyway.core;

    exports dev.cara.store.jdbc;

    // Flyway reads the migrations as resources of these (class-less) packages.
    opens db.migration.postgresql;
    opens db.migration.mariadb;

    provides dev.cara.sdk.spi.StoreProvider with dev.cara.store.jdbc.JdbcStoreProvider;
}
