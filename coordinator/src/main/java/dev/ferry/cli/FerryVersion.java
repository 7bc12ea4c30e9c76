package dev.ferry.cli;

import picocli.CommandLine;

/** Reports the version written into the jar's manifest at build time. */
final class FerryVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = FerryMain.class.getPackage().getImplementationVersion();
        return new String[] {"ferry " + (v == null ? "(development build)" : v)};
    }
}
