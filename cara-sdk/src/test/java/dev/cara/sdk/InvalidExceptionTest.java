package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InvalidExceptionTest {

    @Test
    void namesTheFieldTheValueAndTheRule() {
        InvalidException e = new InvalidException("metadata.name", "Web_1", "a DNS subdomain");
        assertEquals("metadata.name: \"Web_1\" is invalid: must be a DNS subdomain", e.getMessage());
        assertEquals("metadata.name", e.field());
        assertEquals("Web_1", e.value());
        assertEquals("a DNS subdomain", e.rule());
    }

    @Test
    void aMissingValueIsRequired() {
        assertEquals("metadata.name is required: must be a DNS subdomain",
                new InvalidException("metadata.name", null, "a DNS subdomain").getMessage());
    }

    @Test
    void quotesBackslashesAndControlCharactersAreShownEscaped() {
        assertEquals("f: \"a\\\"b\\\\c\\nd\\te\\u0000\\u007f\" is invalid: must be x",
                new InvalidException("f", "a\"b\\c\nd\te\u0000\u007f", "x").getMessage());
    }

    @Test
    void longValuesAreShortenedButKept() {
        String value = "v".repeat(300);
        InvalidException e = new InvalidException("f", value, "short");
        assertEquals("f: \"" + "v".repeat(77) + "...\" is invalid: must be short", e.getMessage());
        assertEquals(value, e.value());
    }

    @Test
    void jsonValuesAreShownAsTheJsonTheUserWrote() {
        assertEquals("spec.hostname: 5 is invalid: must be a string (in quotes)",
                InvalidException.ofJson("spec.hostname", "5", "5", "a string (in quotes)").getMessage());
        InvalidException yes = InvalidException.ofJson("spec.unschedulable", "\"yes\"", "yes", "a boolean");
        assertEquals("spec.unschedulable: \"yes\" is invalid: must be a boolean", yes.getMessage());
        assertEquals("yes", yes.value());
    }

    @Test
    void underPrefixesTheFieldPathAndKeepsTheRest() {
        InvalidException nested = InvalidException.ofJson("spec.unschedulable", "\"no\"", "no", "a boolean").under("items[3]");
        assertEquals("items[3].spec.unschedulable: \"no\" is invalid: must be a boolean", nested.getMessage());
        assertEquals("items[3].spec.unschedulable", nested.field());
        assertEquals("no", nested.value());
        InvalidException document = new InvalidException("malformed JSON").under("items[0]");
        assertEquals("items[0]: malformed JSON", document.getMessage());
        assertNull(document.field());
    }
}
