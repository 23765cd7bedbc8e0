package dev.cara.sdk;

/** The named resource does not exist. Maps to HTTP 404. */
public class NotFoundException extends CaraException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public NotFoundException(String name) {
        this(name, "node \"" + name + "\" not found");
    }

    public NotFoundException(String name, String message) {
        super(message);
        this.name = name;
    }

    /** The name that was looked up. */
    public String name() {
        return name;
    }
}
