package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The rules that the node and the project store contracts check alike, written once: a create sets
 * its own resourceVersion and stores the rest as given; a create of a taken name throws
 * {@link AlreadyExistsException} naming it and changes nothing; a write to a missing name throws
 * {@link NotFoundException} naming it and creates nothing.
 *
 * @param what           the kind of object, for messages: {@code node}, {@code project}
 * @param create         the store's create
 * @param get            the store's get
 * @param revision       the store's revision
 * @param version        an object's resourceVersion
 * @param withoutVersion an object with its resourceVersion cleared, to compare the rest
 * @param <T>            the stored object
 */
record CrudRules<T>(String what, UnaryOperator<T> create, Function<String, Optional<T>> get, LongSupplier revision,
                      Function<T, String> version, UnaryOperator<T> withoutVersion) {

    /** Creates {@code input} (whose resourceVersion the caller set to {@code set-by-the-caller}) as {@code name}. */
    T createSetsItsOwnVersion(String name, T input, String storedAsGiven) {
        T created = create.apply(input);
        assertNotEquals("set-by-the-caller", version.apply(created), "create must set its own resourceVersion, not keep the caller's");
        assertEquals(withoutVersion.apply(input), withoutVersion.apply(created), storedAsGiven);
        assertEquals(Optional.of(created), get.apply(name), "get must return what create returned");
        return created;
    }

    /** Creates {@code first}, then {@code other} of the same {@code name}. */
    AlreadyExistsException takenNameThrowsAndChangesNothing(String name, T first, T other) {
        T stored = create.apply(first);
        long before = revision.getAsLong();
        AlreadyExistsException e = assertThrows(AlreadyExistsException.class, () -> create.apply(other),
                "creating a taken name must throw AlreadyExistsException");
        assertEquals(name, e.name(), "AlreadyExistsException must name the " + what);
        assertEquals(Optional.of(stored), get.apply(name), "a failed create must leave the existing " + what + " alone");
        assertEquals(before, revision.getAsLong(), "a failed create must not advance the revision");
        return e;
    }

    /** Creates {@code existing}; then each of {@code writes}, to the missing {@code name}, must be refused. */
    void writesToAMissingNameAreNotFound(T existing, String name, List<Executable> writes) {
        create.apply(existing);
        long before = revision.getAsLong();
        for (Executable write : writes) {
            NotFoundException e = assertThrows(NotFoundException.class, write, "a write to a missing " + what + " must throw NotFoundException");
            assertEquals(name, e.name(), "NotFoundException must name the " + what);
        }
        assertEquals(before, revision.getAsLong(), "a failed write must not advance the revision");
        assertEquals(Optional.empty(), get.apply(name), "no write may create a " + what);
    }
}
