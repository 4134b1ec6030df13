"""The benchmark of SPEC §6: a bulk data generator, an HTTP runner and its report."""
