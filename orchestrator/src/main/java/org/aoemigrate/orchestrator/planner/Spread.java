package org.aoemigrate.orchestrator.planner;

/**
 * The standard deviation of a set of numbers kept as count, sum and sum of squares, so that the
 * deviation after replacing two of them costs O(1): the planner weighs each candidate move this
 * way instead of summing over every host again.
 */
final class Spread {

    private int count;
    private double sum;
    private double sumOfSquares;

    void clear() {
        count = 0;
        sum = 0;
        sumOfSquares = 0;
    }

    void add(double value) {
        count++;
        sum += value;
        sumOfSquares += value * value;
    }

    double deviation() {
        return deviationOf(sum, sumOfSquares);
    }

    /**
     * The deviation once {@code oldA} has become {@code newA} and {@code oldB} has become
     * {@code newB}. A value that is not in the set is passed as 0 → 0, which changes nothing.
     */
    double deviationAfter(double oldA, double newA, double oldB, double newB) {
        double newSum = sum - oldA + newA - oldB + newB;
        double newSquares = sumOfSquares - oldA * oldA + newA * newA - oldB * oldB + newB * newB;
        return deviationOf(newSum, newSquares);
    }

    private double deviationOf(double total, double squares) {
        if (count < 2) {
            return 0;
        }
        double mean = total / count;
        // rounding can leave a tiny negative variance where the true one is 0
        return Math.sqrt(Math.max(0, squares / count - mean * mean));
    }
}
