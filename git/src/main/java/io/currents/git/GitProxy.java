package io.currents.git;

/**
 * An HTTP(S) proxy for fetching over HTTP(S) URLs: {@code address} like {@code http://proxy:3128},
 * with optional basic credentials. The password is never printed.
 */
public record GitProxy(String address, String username, String password) {

    @Override
    public String toString() {
        return "GitProxy[address=" + address + ", username=" + username + "]";
    }
}
