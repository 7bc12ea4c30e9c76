package dev.ferry.cli;

/** host:port options. */
final class Addresses {

    private Addresses() {}

    static String[] hostPort(String value, String option) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ExitCodes.UsageException(option + " must be HOST:PORT, got \"" + value + "\"");
        }
        String port = value.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new ExitCodes.UsageException(option + ": invalid port \"" + port + "\"");
        }
        return new String[] {value.substring(0, colon), port};
    }
}
