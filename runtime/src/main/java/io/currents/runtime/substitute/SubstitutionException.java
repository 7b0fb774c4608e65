package io.currents.runtime.substitute;

/** A post-build substitution that cannot be performed: bad syntax, an undefined variable in strict mode, a bad name. */
public class SubstitutionException extends RuntimeException {

    public SubstitutionException(String message) {
        super(message);
    }

    public SubstitutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
