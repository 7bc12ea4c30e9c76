package dev.ferry.config.model;

import java.util.List;

/** Consumers of one team or workload in one region, and their mirrors in order of preference. */
public record RouteConfig(String name, String region, List<String> mirrors) {}
