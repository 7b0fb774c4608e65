package io.currents.kustomize;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Go's {@code sort.Sort} (pattern-defeating quicksort, not stable): kustomize sorts field specs with it,
 * and where elements compare equal the order Go leaves them in is visible in the output, so the same
 * algorithm runs here step for step.
 */
final class GoSort {
    private GoSort() {
    }

    /** Sorts in place, leaving equal elements exactly where Go's sort.Sort leaves them. */
    static <T> void sort(List<T> list, Comparator<? super T> cmp) {
        int n = list.size();
        if (n <= 1) {
            return;
        }
        new GoSort.Run<>(list, cmp).pdqsort(0, n, 64 - Long.numberOfLeadingZeros(n));
    }

    private static final int UNKNOWN = 0;
    private static final int INCREASING = 1;
    private static final int DECREASING = 2;

    private static final class Run<T> {
        private final List<T> data;
        private final Comparator<? super T> cmp;
        private int swaps;
        private int hint;

        Run(List<T> data, Comparator<? super T> cmp) {
            this.data = data;
            this.cmp = cmp;
        }

        boolean less(int i, int j) {
            return cmp.compare(data.get(i), data.get(j)) < 0;
        }

        void swap(int i, int j) {
            Collections.swap(data, i, j);
        }

        void insertionSort(int a, int b) {
            for (int i = a + 1; i < b; i++) {
                for (int j = i; j > a && less(j, j - 1); j--) {
                    swap(j, j - 1);
                }
            }
        }

        void siftDown(int lo, int hi, int first) {
            int root = lo;
            while (true) {
                int child = 2 * root + 1;
                if (child >= hi) {
                    break;
                }
                if (child + 1 < hi && less(first + child, first + child + 1)) {
                    child++;
                }
                if (!less(first + root, first + child)) {
                    return;
                }
                swap(first + root, first + child);
                root = child;
            }
        }

        void heapSort(int a, int b) {
            int first = a;
            int hi = b - a;
            for (int i = (hi - 1) / 2; i >= 0; i--) {
                siftDown(i, hi, first);
            }
            for (int i = hi - 1; i >= 0; i--) {
                swap(first, first + i);
                siftDown(0, i, first);
            }
        }

        void pdqsort(int a, int b, int limit) {
            boolean wasBalanced = true;
            boolean wasPartitioned = true;
            while (true) {
                int length = b - a;
                if (length <= 12) {
                    insertionSort(a, b);
                    return;
                }
                if (limit == 0) {
                    heapSort(a, b);
                    return;
                }
                if (!wasBalanced) {
                    breakPatterns(a, b);
                    limit--;
                }
                int pivot = choosePivot(a, b);
                if (hint == DECREASING) {
                    reverseRange(a, b);
                    pivot = (b - 1) - (pivot - a);
                    hint = INCREASING;
                }
                if (wasBalanced && wasPartitioned && hint == INCREASING) {
                    if (partialInsertionSort(a, b)) {
                        return;
                    }
                }
                if (a > 0 && !less(a - 1, pivot)) {
                    a = partitionEqual(a, b, pivot);
                    continue;
                }
                long r = partition(a, b, pivot);
                int mid = (int) (r >> 1);
                wasPartitioned = (r & 1) == 1;
                int leftLen = mid - a;
                int rightLen = b - mid;
                int balanceThreshold = length / 8;
                if (leftLen < rightLen) {
                    wasBalanced = leftLen >= balanceThreshold;
                    pdqsort(a, mid, limit);
                    a = mid + 1;
                } else {
                    wasBalanced = rightLen >= balanceThreshold;
                    pdqsort(mid + 1, b, limit);
                    b = mid;
                }
            }
        }

        /** Returns (newpivot << 1) | alreadyPartitioned. */
        long partition(int a, int b, int pivot) {
            swap(a, pivot);
            int i = a + 1;
            int j = b - 1;
            while (i <= j && less(i, a)) {
                i++;
            }
            while (i <= j && !less(j, a)) {
                j--;
            }
            if (i > j) {
                swap(j, a);
                return ((long) j << 1) | 1;
            }
            swap(i, j);
            i++;
            j--;
            while (true) {
                while (i <= j && less(i, a)) {
                    i++;
                }
                while (i <= j && !less(j, a)) {
                    j--;
                }
                if (i > j) {
                    break;
                }
                swap(i, j);
                i++;
                j--;
            }
            swap(j, a);
            return (long) j << 1;
        }

        int partitionEqual(int a, int b, int pivot) {
            swap(a, pivot);
            int i = a + 1;
            int j = b - 1;
            while (true) {
                while (i <= j && !less(a, i)) {
                    i++;
                }
                while (i <= j && less(a, j)) {
                    j--;
                }
                if (i > j) {
                    break;
                }
                swap(i, j);
                i++;
                j--;
            }
            return i;
        }

        boolean partialInsertionSort(int a, int b) {
            int i = a + 1;
            for (int step = 0; step < 5; step++) {
                while (i < b && !less(i, i - 1)) {
                    i++;
                }
                if (i == b) {
                    return true;
                }
                if (b - a < 50) {
                    return false;
                }
                swap(i, i - 1);
                if (i - a >= 2) {
                    for (int j = i - 1; j >= 1; j--) {
                        if (!less(j, j - 1)) {
                            break;
                        }
                        swap(j, j - 1);
                    }
                }
                if (b - i >= 2) {
                    for (int j = i + 1; j < b; j++) {
                        if (!less(j, j - 1)) {
                            break;
                        }
                        swap(j, j - 1);
                    }
                }
            }
            return false;
        }

        void breakPatterns(int a, int b) {
            int length = b - a;
            if (length >= 8) {
                long random = length;
                long modulus = 1L << (64 - Long.numberOfLeadingZeros(length));
                for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
                    random ^= random << 13;
                    random ^= random >>> 17;
                    random ^= random << 5;
                    int other = (int) (random & (modulus - 1));
                    if (other >= length) {
                        other -= length;
                    }
                    swap(idx, a + other);
                }
            }
        }

        int choosePivot(int a, int b) {
            int l = b - a;
            swaps = 0;
            int i = a + l / 4;
            int j = a + l / 4 * 2;
            int k = a + l / 4 * 3;
            if (l >= 8) {
                if (l >= 50) {
                    i = median(i - 1, i, i + 1);
                    j = median(j - 1, j, j + 1);
                    k = median(k - 1, k, k + 1);
                }
                j = median(i, j, k);
            }
            hint = swaps == 0 ? INCREASING : swaps == 12 ? DECREASING : UNKNOWN;
            return j;
        }

        int median(int a, int b, int c) {
            if (less(b, a)) {
                swaps++;
                int t = a;
                a = b;
                b = t;
            }
            if (less(c, b)) {
                swaps++;
                int t = b;
                b = c;
                c = t;
            }
            if (less(b, a)) {
                swaps++;
                int t = a;
                a = b;
                b = t;
            }
            return b;
        }

        void reverseRange(int a, int b) {
            int i = a;
            int j = b - 1;
            while (i < j) {
                swap(i, j);
                i++;
                j--;
            }
        }
    }
}
