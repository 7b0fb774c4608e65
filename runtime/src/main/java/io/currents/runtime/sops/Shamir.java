package io.currents.runtime.sops;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recombines a data key that sops split with Shamir's secret sharing across key groups ({@code shamir_threshold}):
 * each part is the shares of every byte followed by its x coordinate, each byte of the key the value at 0 of the
 * polynomial through the parts' points, over GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1.
 */
final class Shamir {

    private Shamir() {
    }

    static byte[] combine(List<byte[]> parts) {
        if (parts.size() < 2) {
            throw new SopsException("less than two Shamir parts cannot rebuild the data key");
        }
        int length = parts.get(0).length;
        if (length < 2 || parts.stream().anyMatch(p -> p.length != length)) {
            throw new SopsException("the Shamir parts of the data key differ in length");
        }
        int[] x = new int[parts.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < parts.size(); i++) {
            x[i] = parts.get(i)[length - 1] & 0xff;
            if (!seen.add(x[i]) || x[i] == 0) {
                throw new SopsException("the Shamir parts of the data key repeat a coordinate");
            }
        }
        byte[] secret = new byte[length - 1];
        for (int b = 0; b < secret.length; b++) {
            int value = 0;
            for (int i = 0; i < x.length; i++) {
                // Lagrange basis at 0: prod over j != i of x_j / (x_i - x_j); subtraction is XOR
                int basis = 1;
                for (int j = 0; j < x.length; j++) {
                    if (j != i) {
                        basis = multiply(basis, divide(x[j], x[i] ^ x[j]));
                    }
                }
                value ^= multiply(parts.get(i)[b] & 0xff, basis);
            }
            secret[b] = (byte) value;
        }
        return secret;
    }

    static int multiply(int a, int b) {
        int product = 0;
        for (int i = 0; i < 8; i++) {
            if ((b & 1) != 0) {
                product ^= a;
            }
            boolean carry = (a & 0x80) != 0;
            a = (a << 1) & 0xff;
            if (carry) {
                a ^= 0x1b;
            }
            b >>= 1;
        }
        return product;
    }

    private static int divide(int a, int b) {
        // b^254 is b's inverse in GF(2^8)
        int inverse = 1;
        for (int i = 0; i < 254; i++) {
            inverse = multiply(inverse, b);
        }
        return multiply(a, inverse);
    }
}
