package dev.ferry.config.filter;

/** One primitive comparator of a range, such as {@code >=1.2.0}; build metadata is ignored. */
record Bound(Op op, Semver version) {

    enum Op {
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        EQ("=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    boolean admits(Semver candidate) {
        int c = candidate.comparePrecedence(version);
        return switch (op) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            case EQ -> c == 0;
        };
    }

    @Override
    public String toString() {
        return op.symbol + version;
    }
}
