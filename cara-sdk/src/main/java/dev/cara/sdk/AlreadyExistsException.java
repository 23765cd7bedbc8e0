package dev.cara.sdk;

/** A create found the name taken. Maps to HTTP 409. */
public class AlreadyExistsException extends ConflictException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public AlreadyExistsException(String name) {
        this(name, "node \"" + name + "\" already exists");
    }

    public AlreadyExistsException(String name, String message) {
        super(message);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
