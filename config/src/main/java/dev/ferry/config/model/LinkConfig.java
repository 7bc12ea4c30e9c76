package dev.ferry.config.model;

import dev.ferry.config.units.Bandwidth;

/** The bandwidth quota between two regions, binding cluster-wide. */
public record LinkConfig(String from, String to, Bandwidth bandwidth) {}
