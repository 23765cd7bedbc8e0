package dev.cara.store.jdbc;

import dev.cara.sdk.InvalidException;
import dev.cara.store.jdbc.JdbcStoreProvider.StoreUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcStoreProviderTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/cara";

    @Test
    void theDriverGetsTheUrlWithoutTheStoreSettingsInTheOrderGiven() {
        StoreUrl url = StoreUrl.parse(PG + "?user=cara&cara.leaseTtl=15s&password=p&cara.poolSize=20&ssl=false");
        assertEquals(PG + "?user=cara&password=p&ssl=false", url.driverUrl());
        assertEquals(Map.of("cara.leaseTtl", "15s", "cara.poolSize", "20"), url.settings());
        assertEquals(java.util.List.of("cara.leaseTtl", "cara.poolSize"), java.util.List.copyOf(url.settings().keySet()));
    }

    @Test
    void aUrlOfOnlyStoreSettingsLosesItsQuestionMarkAndOneWithoutSettingsIsUntouched() {
        assertEquals(PG, StoreUrl.parse(PG + "?cara.leaseTtl=15s").driverUrl());
        assertEquals(PG, StoreUrl.parse(PG).driverUrl());
        assertEquals(PG + "?user=cara", StoreUrl.parse(PG + "?user=cara").driverUrl());
        assertTrue(StoreUrl.parse(PG + "?user=cara").settings().isEmpty());
        // A driver option that merely contains "cara." is the driver's.
        assertEquals(PG + "?options=cara.x", StoreUrl.parse(PG + "?options=cara.x").driverUrl());
    }

    @Test
    void everySettingOfTheBuilderIsAccepted() {
        JdbcStoreProvider.configure(PG + "?cara.poolSize=3&cara.flushWindow=50ms&cara.leaseTtl=2s"
                + "&cara.connectTimeout=1s&cara.socketTimeout=30s&cara.changeHistory=500");
    }

    @Test
    void anUnknownSettingIsRefusedWithTheKnownOnesListed() {
        InvalidException e = assertThrows(InvalidException.class,
                () -> JdbcStoreProvider.configure(PG + "?cara.leaseTTL=15s"));
        assertEquals("cara.leaseTTL", e.field());
        assertEquals("cara.leaseTTL: \"15s\" is invalid: must be one of the store settings cara.poolSize, "
                + "cara.flushWindow, cara.leaseTtl, cara.connectTimeout, cara.socketTimeout, cara.changeHistory", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cara.poolSize=many       | cara.poolSize: \"many\" is invalid: must be a whole number",
            "cara.leaseTtl=15         | cara.leaseTtl: \"15\" is invalid: must be a duration such as 500ms, 30s, 1m, 2m30s or 1h",
            "cara.poolSize=500        | cara.poolSize=500 in the store URL: poolSize must be between 1 and 200, was 500",
            "cara.flushWindow=1s      | cara.flushWindow=1s in the store URL: flushWindow must be more than 0 and at most 100ms, was 1s",
            "cara.leaseTtl=1s&cara.leaseTtl=2s | cara.leaseTtl: \"2s\" is invalid: must be given once: the store URL already sets cara.leaseTtl"})
    void aBadValueIsRefusedNamingTheSetting(String query, String message) {
        InvalidException e = assertThrows(InvalidException.class, () -> JdbcStoreProvider.configure(PG + "?" + query));
        assertEquals(message, e.getMessage());
    }
}
